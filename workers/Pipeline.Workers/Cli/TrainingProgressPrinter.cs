using System.Globalization;
using Pipeline.ML.Training;

namespace Pipeline.Workers.Cli;

/// <summary>Prints a training run's progress (step, loss, lr, tokens/s, ETA) and its logged metrics to stderr.</summary>
public sealed class TrainingProgressPrinter
{
    private DateTime _lastPrint = DateTime.MinValue;

    public void Progress(TrainingProgress p)
    {
        // At most twice a second, and always at the end, so a fast run doesn't drown the terminal.
        if (p.Step != p.MaxSteps && DateTime.UtcNow - _lastPrint < TimeSpan.FromMilliseconds(500))
        {
            return;
        }
        _lastPrint = DateTime.UtcNow;
        var pct = 100.0 * p.Step / p.MaxSteps;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"step {p.Step}/{p.MaxSteps} ({pct:F0}%)  loss {p.Loss:F4}  {p.TokensPerSecond:F0} tok/s  elapsed {Durations.Format(p.Elapsed)}  ETA {Durations.Format(p.Eta)}"));
    }

    public static void Log(TrainingLog log)
    {
        var values = string.Join("  ", log.Values.Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value:G5}")));
        Console.Error.WriteLine($"[log] step {log.Step}  {values}");
    }
}
