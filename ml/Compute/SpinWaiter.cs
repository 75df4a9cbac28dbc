using System.Diagnostics;

namespace Pipeline.ML.Compute;

/// <summary>
/// Spin briefly, then block: a wait that is cheap when the event is microseconds away (the next gemm of a training
/// step) and costs no CPU when it is not. One thread at a time waits on an instance. A <see cref="Wake"/> with
/// nobody parked does nothing; a late one meant for an earlier wait only causes a spurious wake-up, after which
/// <see cref="WaitUntil"/> looks at its condition again.
/// </summary>
internal sealed class SpinWaiter
{
    // 50 µs: well past the gaps between the gemms of a training step, and short next to the ~100 µs it takes this
    // VM to wake a blocked thread, which the spin is there to avoid.
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000;
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
