namespace Pipeline.ML.Data;

/// <summary>Holds out a reproducible evaluation set: the same items, fraction and seed give the same split on any
/// machine and any .NET version.</summary>
public static class TrainValidationSplit
{
    /// <summary>A seeded Fisher–Yates shuffle of the indices (<see cref="SplitMix64"/>) picks the eval items; each
    /// part keeps the input order (shuffling for training is the sampler's job). The eval size is
    /// ceil(evalFraction × count), as HF datasets' <c>train_test_split</c>; 0 gives an empty eval set.</summary>
    public static (IReadOnlyList<T> Train, IReadOnlyList<T> Eval) Split<T>(IReadOnlyList<T> items, double evalFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (!(evalFraction >= 0 && evalFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(evalFraction), evalFraction, "expected a fraction in [0, 1)");
        }

        // Rounded first so floating-point noise (0.7 × 10 = 7.000000000000001) does not add an item.
        var evalCount = (int)Math.Ceiling(Math.Round(evalFraction * items.Count, 9));
        if (items.Count > 0 && evalCount == items.Count)
        {
            throw new ArgumentException(
                $"evalFraction {evalFraction} of {items.Count} items leaves no training items", nameof(evalFraction));
        }

        var order = Enumerable.Range(0, items.Count).ToArray();
        var random = new SplitMix64(seed);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)random.NextBelow((ulong)i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var isEval = new bool[items.Count];
        foreach (var index in order.Take(evalCount))
        {
            isEval[index] = true;
        }

        var train = Enumerable.Range(0, items.Count).Where(i => !isEval[i]).Select(i => items[i]).ToArray();
        var eval = Enumerable.Range(0, items.Count).Where(i => isEval[i]).Select(i => items[i]).ToArray();
        return (train, eval);
    }
}
