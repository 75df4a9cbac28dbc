using System.Globalization;
using Microsoft.Extensions.Logging;
using Pipeline.Activities.Support;
using Pipeline.Infra.Artifacts;
using Pipeline.ML.Training;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Activities.Training;

/// <summary>What every training stage does around its trainer: a fresh scratch folder, progress to the log (steps,
/// loss, tokens/s, ETA) and the heartbeat, each checkpoint stored and heartbeated, the resume point of a retried attempt,
/// and the summary metrics (the last logged value of each, TRL's names).</summary>
internal sealed class TrainingRun
{
    private readonly ILogger _logger;
    private readonly CheckpointSync _sync;
    private readonly string _stage;
    private readonly long _maxSteps;
    private double _loss = double.NaN;
    private DateTime _lastLog = DateTime.MinValue;

    public TrainingRun(IArtifactStore store, RecipeWorkspace workspace, ILogger logger, string workflowId, string stage, long maxSteps)
    {
        (_logger, _stage, _maxSteps) = (logger, stage, maxSteps);
        Dir = workspace.FreshStageDir(workflowId, stage);
        _sync = new CheckpointSync(store, workspace, workflowId, stage);
    }

    /// <summary>The stage's scratch folder; the trainer writes its checkpoints under <see cref="OutputDir"/>.</summary>
    public string Dir { get; }

    public string OutputDir => Path.Combine(Dir, "run");

    public void Progress(TrainingProgress p)
    {
        _loss = p.Loss;
        _sync.Beat(new TrainingProgressHeartbeat(_stage, p.Step, p.MaxSteps, p.Loss, p.TokensPerSecond, p.Eta.TotalSeconds));
        if (DateTime.UtcNow - _lastLog < TimeSpan.FromSeconds(10) && p.Step != p.MaxSteps) return;
        _lastLog = DateTime.UtcNow;
        _logger.LogProgress(_stage, p.Step, p.MaxSteps, p.Loss, p.TokensPerSecond, p.Eta);
    }

    /// <summary>The trainer's OnCheckpoint: the step is the folder's (checkpoint-N, as TrainerCheckpoint names it).</summary>
    public void Checkpoint(string dir)
    {
        var name = Path.GetFileName(dir);
        var step = long.Parse(name["checkpoint-".Length..], CultureInfo.InvariantCulture);
        _sync.Saved(dir, step, _maxSteps, _loss);
    }

    /// <summary>Resumes the trainer from the checkpoint an earlier attempt heartbeated; returns the step it resumed at
    /// (0 on a first attempt). <paramref name="resume"/> loads a checkpoint folder and returns the trainer's step.</summary>
    public async Task<long> ResumeAsync(Func<string, long> resume, CancellationToken ct) =>
        await _sync.ResumePointAsync(ct) is { } point ? resume(point.Dir) : 0;

    public static IReadOnlyDictionary<string, double> Summary(IReadOnlyList<TrainingLog> history)
    {
        var last = new Dictionary<string, double>();
        foreach (var log in history)
        {
            foreach (var (key, value) in log.Values) last[key] = value;
        }
        return last.Where(kv => double.IsFinite(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    public static Dictionary<string, string> Params(params (string Key, object Value)[] values) =>
        values.ToDictionary(v => v.Key, v => Convert.ToString(v.Value, CultureInfo.InvariantCulture) ?? "");
}
