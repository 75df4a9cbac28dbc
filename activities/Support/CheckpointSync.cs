using Pipeline.Durable;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Models;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Activities.Support;

/// <summary>
/// The resume rule of the training activities: every checkpoint a trainer writes is stored (kind <c>checkpoint</c>)
/// and heartbeated as a <see cref="TrainingCheckpointHeartbeat"/>; a retried attempt (another worker, after a crash)
/// reads that heartbeat and resumes from the stored checkpoint, losing at most one checkpoint interval of steps.
/// Progress between checkpoints heartbeats the last one again, so a slow interval never looks like a dead worker.
/// </summary>
public sealed class CheckpointSync(IArtifactStore store, RecipeWorkspace workspace, string workflowId, string stage)
{
    private TrainingCheckpointHeartbeat? _last;
    private TrainingProgressHeartbeat? _progress;

    /// <summary>The checkpoint an earlier attempt heartbeated, brought back into the cache; null on a first attempt.</summary>
    public async Task<(string Dir, long Step)?> ResumePointAsync(CancellationToken ct)
    {
        if (!ActivityExecutionContext.HasCurrent) return null;
        var context = ActivityExecutionContext.Current;
        if (!context.TryGetHeartbeatDetail<TrainingCheckpointHeartbeat>(0, out var beat) || beat is null) return null;
        _last = beat;
        context.Logger.LogResume(stage, beat.Step, context.Info.Attempt);
        var dir = await ModelPackages.DirectoryOnceAsync(store, beat.CheckpointDigest, workspace.Cache, ct);
        return (dir, beat.Step);
    }

    /// <summary>Called by the trainer after it wrote <paramref name="checkpointDir"/> (blocking the training thread while
    /// it uploads: a checkpoint that is not stored is not a resume point).</summary>
    public void Saved(string checkpointDir, long step, long maxSteps, double loss)
    {
        var stored = store.PutDirectoryAsync(checkpointDir, new ArtifactMetadata(ArtifactKinds.Checkpoint, $"{stage}-checkpoint-{step}",
            DateTimeOffset.UtcNow, workflowId)).GetAwaiter().GetResult();
        _last = new TrainingCheckpointHeartbeat(step, maxSteps, stored.Digest, loss);
        Beat();
    }

    /// <summary>A liveness heartbeat carrying the last stored checkpoint (if any) and, when given, where training is.</summary>
    public void Beat(TrainingProgressHeartbeat? progress = null)
    {
        _progress = progress ?? _progress;
        CurrentActivity.Heartbeat(_last, _progress);
    }
}
