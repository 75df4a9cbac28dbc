namespace Pipeline.ML.Compute;

/// <summary>
/// The engine's parallel loop. Work is split into chunks whose boundaries depend only on the problem size
/// (never on timing), and each chunk writes its own outputs, so a run is bit-identical for a given thread count.
/// </summary>
public static class CpuParallel
{
    private static int _threads = Environment.ProcessorCount;

    /// <summary>Worker threads used by ops (default: the processor count). 1 runs everything inline.</summary>
    public static int Threads
    {
        get => _threads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _threads = value;
        }
    }

    /// <summary>Runs <paramref name="body"/> for chunk indices [0, chunks), in parallel when it pays.</summary>
    public static void For<TBody>(int chunks, TBody body)
        where TBody : struct, IParallelBody
    {
        if (chunks <= 0)
        {
            return;
        }
        if (chunks == 1 || _threads == 1)
        {
            for (var i = 0; i < chunks; i++)
            {
                body.Run(i);
            }
            return;
        }
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = _threads }, i => body.Run(i));
    }
}
