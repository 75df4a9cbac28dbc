using Pipeline.ML.Compute;

namespace Pipeline.ML.Generation;

/// <summary>Picks the next token from one row of logits: greedy, or temperature → top-k → top-p sampling (HF's warper order).</summary>
internal sealed class Sampler(GenerationOptions options)
{
    private readonly Rng _rng = new(options.Seed);
    private double[] _probs = [];
    private int[] _order = [];

    public int Next(ReadOnlySpan<float> logits)
    {
        if (options.Temperature == 0)
        {
            return ArgMax(logits);
        }
        var v = logits.Length;
        if (_probs.Length != v)
        {
            _probs = new double[v];
            _order = new int[v];
        }
        var max = double.NegativeInfinity;
        for (var i = 0; i < v; i++)
        {
            max = Math.Max(max, logits[i] / options.Temperature);
        }
        for (var i = 0; i < v; i++)
        {
            _probs[i] = Math.Exp(logits[i] / options.Temperature - max);
            _order[i] = i;
        }
        // Most likely first; ties by token id so the order (and the draw) is deterministic.
        Array.Sort(_order, (a, b) => _probs[a] != _probs[b] ? _probs[b].CompareTo(_probs[a]) : a.CompareTo(b));
        var keep = options.TopK > 0 ? Math.Min(options.TopK, v) : v;
        double total = 0;
        for (var i = 0; i < keep; i++)
        {
            total += _probs[_order[i]];
        }
        if (options.TopP < 1)
        {
            // Smallest prefix whose mass reaches p (at least one token), renormalised.
            double mass = 0;
            for (var i = 0; i < keep; i++)
            {
                mass += _probs[_order[i]] / total;
                if (mass >= options.TopP)
                {
                    keep = i + 1;
                    break;
                }
            }
            total = 0;
            for (var i = 0; i < keep; i++)
            {
                total += _probs[_order[i]];
            }
        }
        var u = _rng.NextDouble() * total;
        for (var i = 0; i < keep; i++)
        {
            u -= _probs[_order[i]];
            if (u < 0)
            {
                return _order[i];
            }
        }
        return _order[keep - 1];
    }

    private static int ArgMax(ReadOnlySpan<float> logits)
    {
        var best = 0;
        for (var i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best])
            {
                best = i;
            }
        }
        return best;
    }
}
