namespace Pipeline.ML.Training;

/// <summary>
/// GRPO's metrics between two log rows: every value reported by a step is averaged over the steps of the window
/// (TRL logs the mean of its per-step metrics the same way).
/// </summary>
internal sealed class GrpoMetrics
{
    private readonly Dictionary<string, (double Sum, int Count)> _values = new(StringComparer.Ordinal);

    public void Add(string name, double value)
    {
        _values.TryGetValue(name, out var v);
        _values[name] = (v.Sum + value, v.Count + 1);
    }

    public Dictionary<string, double> Flush()
    {
        var row = _values.ToDictionary(kv => kv.Key, kv => kv.Value.Sum / kv.Value.Count, StringComparer.Ordinal);
        _values.Clear();
        return row;
    }
}
