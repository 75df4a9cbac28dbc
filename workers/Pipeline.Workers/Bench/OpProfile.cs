using System.Diagnostics;

namespace Pipeline.Workers.Bench;

/// <summary>
/// Wall time summed per key (an op and the shape it ran on, or a phase of the training step), for a per-op
/// breakdown of where a step's time goes. Keys are value tuples so that recording allocates nothing.
/// </summary>
public sealed class OpProfile
{
    private readonly Dictionary<(string Name, int A, int B), (long Ticks, long Calls)> _ops = [];
    private readonly Dictionary<string, long> _phases = [];

    /// <summary>Adds the time since <paramref name="start"/> (a Stopwatch timestamp) to an op.</summary>
    public void Op(string name, long start, int a = 0, int b = 0)
    {
        var elapsed = Stopwatch.GetTimestamp() - start;
        var key = (name, a, b);
        _ops[key] = _ops.TryGetValue(key, out var v) ? (v.Ticks + elapsed, v.Calls + 1) : (elapsed, 1);
    }

    /// <summary>Adds the time since <paramref name="start"/> to a phase of the step (forward, backward, adamw, …).</summary>
    public void Phase(string name, long start) =>
        _phases[name] = _phases.GetValueOrDefault(name) + (Stopwatch.GetTimestamp() - start);

    public void Clear()
    {
        _ops.Clear();
        _phases.Clear();
    }

    /// <summary>Ops, slowest first: milliseconds per step and calls per step over <paramref name="steps"/> steps.</summary>
    public IEnumerable<(string Op, double MsPerStep, double CallsPerStep)> Ops(int steps) =>
        _ops.OrderByDescending(kv => kv.Value.Ticks).Select(kv => (
            kv.Key.A == 0 ? kv.Key.Name : $"{kv.Key.Name} {kv.Key.A}×{kv.Key.B}",
            Ms(kv.Value.Ticks) / steps, (double)kv.Value.Calls / steps));

    /// <summary>Phases in the order first recorded, in milliseconds per step.</summary>
    public IEnumerable<(string Phase, double MsPerStep)> Phases(int steps) =>
        _phases.Select(kv => (kv.Key, Ms(kv.Value) / steps));

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
