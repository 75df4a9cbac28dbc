namespace Pipeline.ML.Compute;

/// <summary>One background thread of <see cref="WorkerPool"/>. It waits (spin, then block) for a ticket with a
/// new generation number, claims chunks of that loop until none is left, and waits again. Background, so the process
/// can exit while it waits.</summary>
internal sealed class PoolWorker
{
    private readonly SpinWaiter _waiter = new();
    private int _ticket;
    private int _seen;

    public PoolWorker(int index)
    {
        new Thread(Loop) { IsBackground = true, Name = $"CpuParallel worker {index + 1}" }.Start();
    }

    /// <summary>Hands this worker the loop just published (the pool has written the loop before this call).</summary>
    public void Start(int generation)
    {
        Volatile.Write(ref _ticket, generation);
        _waiter.Wake();
    }

    private void Loop()
    {
        Func<bool> handedLoop = () => Volatile.Read(ref _ticket) != _seen; // made once: no allocation per loop
        while (true)
        {
            _waiter.WaitUntil(handedLoop);
            _seen = Volatile.Read(ref _ticket);
            WorkerPool.RunChunks(_seen);
        }
    }
}
