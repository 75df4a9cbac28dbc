using System.Runtime.ExceptionServices;

namespace Pipeline.ML.Compute;

/// <summary>
/// The threads behind <see cref="CpuParallel.For"/>: one loop at a time runs on the caller plus up to
/// (threads − 1) persistent workers, which claim chunk indices from a shared counter. Which thread runs a chunk
/// varies from run to run; what a chunk computes does not, since chunks write disjoint outputs.
/// A loop is described by a function pointer and a pointer to the caller's body struct, so nothing is allocated.
/// The loop ends when every chunk has finished, not when every worker has checked in: a worker that wakes late
/// (waking a parked thread costs ~100 µs in a VM) finds nothing left to claim and the caller has not waited for it.
/// </summary>
internal static unsafe class WorkerPool
{
    private static PoolWorker[] _workers = [];
    private static int _busy; // 1 while a loop owns the pool; a loop that finds it taken runs inline

    // The loop in flight. _claim packs (generation << 32 | next chunk index), so a worker woken for an earlier
    // loop cannot claim a chunk of a later one: its compare-and-swap fails on the generation.
    private static long _claim;
    private static delegate*<void*, int, void> _invoke;
    private static void* _body;
    private static int _chunks;
    private static int _remaining; // chunks not yet finished (or cancelled)
    private static Exception? _error;
    private static int _generation;
    private static readonly SpinWaiter Caller = new();

    /// <summary>Runs chunks [0, chunks) on the caller and up to (threads − 1) workers. False when the pool is
    /// already in use (a nested or concurrent loop): nothing ran, and the caller runs the loop itself.</summary>
    public static bool TryRun(int threads, int chunks, delegate*<void*, int, void> invoke, void* body)
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }
        try
        {
            EnsureWorkers(threads - 1);
            var generation = ++_generation;
            // Close the claim word before rewriting the loop: a late worker that read the previous loop's claim
            // together with the new chunk count must see its compare-and-swap fail, not claim a chunk twice.
            Interlocked.Exchange(ref _claim, ((long)generation << 32) | int.MaxValue);
            _invoke = invoke;
            _body = body;
            (_chunks, _remaining, _error) = (chunks, chunks, null);
            Volatile.Write(ref _claim, (long)generation << 32); // opens the loop, after the fields above
            for (var w = 0; w < threads - 1; w++)
            {
                _workers[w].Start(generation);
            }
            RunChunks(generation);
            Caller.WaitUntil(static () => Volatile.Read(ref _remaining) == 0);
            if (_error is { } error)
            {
                _error = null;
                ExceptionDispatchInfo.Capture(error).Throw();
            }
            return true;
        }
        finally
        {
            _invoke = null;
            _body = null;
            Volatile.Write(ref _busy, 0);
        }
    }

    /// <summary>Claims and runs chunks of loop <paramref name="generation"/> until none is left (caller and workers).</summary>
    internal static void RunChunks(int generation)
    {
        while (TryClaim(generation, out var chunk))
        {
            try
            {
                // Safe to read: the loop cannot end while this claimed chunk is unfinished.
                _invoke(_body, chunk);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
                CancelUnclaimed(generation);
            }
            Finished(1);
        }
    }

    private static bool TryClaim(int generation, out int chunk)
    {
        while (true)
        {
            var claim = Volatile.Read(ref _claim);
            chunk = (int)claim;
            if ((int)(claim >> 32) != generation || chunk >= Volatile.Read(ref _chunks))
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _claim, claim + 1, claim) == claim)
            {
                return true;
            }
        }
    }

    /// <summary>After a failure: claim every chunk not yet started and count it as finished, so the loop ends.</summary>
    private static void CancelUnclaimed(int generation)
    {
        while (true)
        {
            var claim = Volatile.Read(ref _claim);
            var next = (int)claim;
            if ((int)(claim >> 32) != generation || next >= _chunks)
            {
                return;
            }
            if (Interlocked.CompareExchange(ref _claim, ((long)generation << 32) | (uint)_chunks, claim) == claim)
            {
                Finished(_chunks - next);
                return;
            }
        }
    }

    private static void Finished(int count)
    {
        if (Interlocked.Add(ref _remaining, -count) == 0)
        {
            Caller.Wake();
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (_workers.Length >= count)
        {
            return;
        }
        var grown = new PoolWorker[count];
        _workers.CopyTo(grown, 0);
        for (var w = _workers.Length; w < count; w++)
        {
            grown[w] = new PoolWorker(w);
        }
        _workers = grown;
    }
}
