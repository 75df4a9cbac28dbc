using System.Runtime.CompilerServices;

namespace Pipeline.ML.Compute;

/// <summary>
/// The engine's parallel loop. Work is split into chunks whose boundaries depend only on the problem size
/// (never on timing), and each chunk writes its own outputs, so a run is bit-identical for a given thread count.
/// Loops run on a persistent pool (<see cref="WorkerPool"/>): Threads − 1 background workers plus the calling
/// thread, with no allocation per loop. A loop started while the pool is busy — a nested call from inside a body,
/// or a second thread calling at the same time — runs inline on its caller, which changes timing only.
/// </summary>
public static class CpuParallel
{
    private static int _threads = Environment.ProcessorCount;

    /// <summary>Threads a loop may use, the caller included (default: the processor count). 1 runs everything
    /// inline. May be changed at any time; the pool grows to the largest value asked for.</summary>
    public static int Threads
    {
        get => _threads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _threads = value;
        }
    }

    /// <summary>Runs <paramref name="body"/> for chunk indices [0, chunks), in parallel when it pays. Every chunk
    /// runs exactly once; if any throw, the first exception is rethrown here after all running chunks finish.</summary>
    public static unsafe void For<TBody>(int chunks, TBody body)
        where TBody : struct, IParallelBody
    {
        if (chunks <= 0)
        {
            return;
        }
        var threads = Math.Min(_threads, chunks);
        // The body stays on this frame while workers use it by pointer: Run returns only when every chunk is done.
        if (threads > 1 && WorkerPool.TryRun(threads, chunks, &Invoke<TBody>, Unsafe.AsPointer(ref body)))
        {
            return;
        }
        for (var i = 0; i < chunks; i++)
        {
            body.Run(i);
        }
    }

    private static unsafe void Invoke<TBody>(void* body, int chunk)
        where TBody : struct, IParallelBody => Unsafe.AsRef<TBody>(body).Run(chunk);
}
