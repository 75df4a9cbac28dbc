using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Pipeline.ML.Compute;

/// <summary>
/// The threads behind <see cref="CpuParallel.For"/>: one loop at a time runs on the caller plus up to
/// (threads − 1) persistent workers, which take chunk indices from a shared atomic counter. Which thread runs a
/// chunk varies from run to run; what a chunk computes does not, since chunks write disjoint outputs.
/// A loop is described by a function pointer and a pointer to the caller's body struct, so nothing is allocated.
/// </summary>
internal static unsafe class WorkerPool
{
    private static PoolWorker[] _workers = [];
    private static int _busy; // 1 while a loop owns the pool; a loop that finds it taken runs inline

    // The loop in flight: written by its caller before the workers' tickets, read by them after.
    private static delegate*<void*, int, void> _invoke;
    private static void* _body;
    private static int _chunks;
    private static int _next;
    private static int _pending;
    private static Exception? _error;
    private static int _generation;
    private static readonly Waiter Caller = new();

    /// <summary>Runs chunks [0, chunks) on the caller and (threads − 1) workers. False when the pool is already
    /// in use (a nested or concurrent loop), in which case nothing ran and the caller runs the loop itself.</summary>
    public static bool TryRun(int threads, int chunks, delegate*<void*, int, void> invoke, void* body)
    {
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            return false;
        }
        try
        {
            EnsureWorkers(threads - 1);
            _invoke = invoke;
            _body = body;
            (_chunks, _next, _error) = (chunks, 0, null);
            var helpers = threads - 1;
            Volatile.Write(ref _pending, helpers);
            var generation = ++_generation;
            for (var w = 0; w < helpers; w++)
            {
                _workers[w].Start(generation);
            }
            RunChunks();
            Caller.WaitUntil(static () => Volatile.Read(ref _pending) == 0);
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

    /// <summary>A worker's part of the current loop (also the caller's): chunks until the counter runs out.</summary>
    internal static void RunChunks()
    {
        var chunks = _chunks;
        int i;
        while ((i = Interlocked.Increment(ref _next) - 1) < chunks)
        {
            try
            {
                _invoke(_body, i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
                Volatile.Write(ref _next, chunks); // stop handing out chunks; the loop has failed
            }
        }
    }

    /// <summary>Called by a worker when its part of the loop is done.</summary>
    internal static void WorkerDone()
    {
        if (Interlocked.Decrement(ref _pending) == 0)
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

    /// <summary>Spin briefly, then block: a wait that is cheap when the event is microseconds away (the next
    /// gemm of a training step) and costs no CPU when it is not. Only one thread waits on a given instance.</summary>
    internal sealed class Waiter
    {
        private static readonly long SpinTicks = Stopwatch.Frequency / 20_000; // 50 µs
        private readonly SemaphoreSlim _signal = new(0);
        private int _parked;

        public void WaitUntil(Func<bool> ready)
        {
            var start = Stopwatch.GetTimestamp();
            for (var spins = 0; !ready(); spins++)
            {
                if ((spins & 63) != 63 || Stopwatch.GetTimestamp() - start < SpinTicks)
                {
                    Thread.SpinWait(1);
                    continue;
                }
                // Announce the park, then look again: whoever makes ready() true after this point sees _parked
                // and releases the semaphore. Both sides use Interlocked.Exchange, so exactly one of them clears it.
                Interlocked.Exchange(ref _parked, 1);
                if (ready() && Interlocked.Exchange(ref _parked, 0) == 1)
                {
                    return;
                }
                _signal.Wait(); // either woken by Wake, or consuming the release Wake already made
                start = Stopwatch.GetTimestamp();
            }
        }

        public void Wake()
        {
            if (Interlocked.Exchange(ref _parked, 0) == 1)
            {
                _signal.Release();
            }
        }
    }
}
