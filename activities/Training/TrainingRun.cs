using System.Globalization;
using Microsoft.Extensions.Logging;
using Pipeline.Activities.Support;
using Pipeline.ML.Training;

namespace Pipeline.Activities.Training;

/// <summary>What every training stage does around its trainer: progress to the log (steps, loss, tokens/s, ETA) and the
/// heartbeat, checkpoints to the store, and the summary metrics (the last logged value of each, TRL's names).</summary>
internal sealed class TrainingRun(ILogger logger, CheckpointSync sync, string stage, long maxSteps)
{
    private double _loss = double.NaN;
    private DateTime _lastLog = DateTime.MinValue;

    public void Progress(TrainingProgress p)
    {
        _loss = p.Loss;
        sync.Beat();
        if (DateTime.UtcNow - _lastLog < TimeSpan.FromSeconds(10) && p.Step != p.MaxSteps) return;
        _lastLog = DateTime.UtcNow;
        logger.LogProgress(stage, p.Step, p.MaxSteps, p.Loss, p.TokensPerSecond, p.Eta);
    }

    public void Checkpoint(string dir, long step) => sync.Saved(dir, step, maxSteps, _loss);

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
