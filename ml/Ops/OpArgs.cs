namespace Pipeline.ML.Ops;

/// <summary>Up-front argument checks shared by the ops, so every message names the op, the argument and the sizes.</summary>
internal static class OpArgs
{
    public static void NonNegative(string op, string name, int value)
    {
        if (value < 0)
        {
            throw new ArgumentException($"{op}: {name} must be non-negative, got {value}");
        }
    }

    /// <param name="shape">The expected shape in words, e.g. "(N, C) = (3, 5)".</param>
    public static void Length(string op, string name, int actual, long expected, string shape)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{op}: {name} has length {actual}, expected {expected} for {shape}");
        }
    }

    /// <summary>An optional gradient is either empty (not wanted) or exactly the expected length.</summary>
    public static bool Optional(string op, string name, int actual, long expected, string shape)
    {
        if (actual == 0)
        {
            return false;
        }
        Length(op, name, actual, expected, shape);
        return true;
    }

    /// <summary>Targets are class ids in [0, vocab) or <see cref="CrossEntropy.IgnoreIndex"/>.</summary>
    public static void Targets(string op, ReadOnlySpan<int> targets, int vocab)
    {
        for (var row = 0; row < targets.Length; row++)
        {
            var target = targets[row];
            if (target != CrossEntropy.IgnoreIndex && (uint)target >= (uint)vocab)
            {
                throw new ArgumentException(
                    $"{op}: target {target} at row {row} is outside [0, {vocab}) and is not the ignore index {CrossEntropy.IgnoreIndex}");
            }
        }
    }
}
