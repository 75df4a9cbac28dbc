using Microsoft.Extensions.Logging;
using Pipeline.Activities.Support;
using Pipeline.Durable;
using Pipeline.Infra.Artifacts;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Activities.Training;

/// <summary>The recipe's training steps on this engine (CPU; the <c>gpu</c> queue runs the same code where a worker
/// advertises a device). Each runs its trainer on a thread-pool thread, stores every checkpoint and heartbeats it, and
/// resumes a retried attempt from the last one (<see cref="CheckpointSync"/>).</summary>
public sealed class TrainingActivities(IArtifactStore store, TrackingRuns tracking, RecipeWorkspace workspace, ILogger<TrainingActivities> logger)
    : ITrainingActivities
{
    [Activity]
    public Task<TrainResult> SftAsync(SftRequest request) =>
        Run(ct => new SftStage(store, tracking, workspace, logger).RunAsync(request, ct));

    [Activity]
    public Task<TrainResult> PretrainAsync(PretrainRequest request) =>
        Run(ct => new PretrainStage(store, tracking, workspace, logger).RunAsync(request, ct));

    [Activity]
    public Task<TrainResult> PreferenceTrainAsync(PreferenceTrainRequest request) => request.Config.Algorithm switch
    {
        PreferenceAlgorithm.Grpo => Run(ct => new GrpoStage(store, tracking, workspace, logger).RunAsync(request, ct)),
        PreferenceAlgorithm.Dpo => Run(ct => new DpoStage(store, tracking, workspace, logger).RunAsync(request, ct)),
        _ => throw Failures.InvalidInput($"Preference.Algorithm {request.Config.Algorithm} is not one of Grpo, Dpo"),
    };

    [Activity]
    public Task<PreferenceSetResult> CollectPreferencesAsync(CollectPreferencesRequest request) => request.Config.Algorithm == PreferenceAlgorithm.Dpo
        ? Run(ct => new CollectPreferencesStage(store, tracking, workspace, logger).RunAsync(request, ct))
        : throw Failures.InvalidInput($"preference pairs are collected for DPO only; Preference.Algorithm is {request.Config.Algorithm} (GRPO scores its own rollouts)");

    /// <summary>Training is CPU-bound for minutes: it runs off the worker's poller threads, with the attempt's
    /// cancellation (a cancel request or a lost lease) reaching the trainer's loop.</summary>
    private static Task<T> Run<T>(Func<CancellationToken, Task<T>> body)
    {
        var ct = CurrentActivity.Token;
        return Failures.GuardAsync(() => Task.Run(() => body(ct), ct));
    }
}
