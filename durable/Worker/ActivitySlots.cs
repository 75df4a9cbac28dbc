namespace Pipeline.Durable.Worker;

/// <summary>The worker's activity concurrency limit, shared by its poller and by eager dispatch: a workflow task
/// reserves free slots for the activities it schedules, and those activities start on them without a poll.</summary>
internal sealed class ActivitySlots(int capacity, Action<Storage.ActivityTaskLease> start)
{
    private readonly SemaphoreSlim _free = new(capacity);

    public Task WaitAsync(CancellationToken ct) => _free.WaitAsync(ct);

    /// <summary>Takes up to <paramref name="wanted"/> free slots without waiting; returns how many it got.</summary>
    public int TryReserve(int wanted)
    {
        var got = 0;
        while (got < wanted && _free.Wait(0)) got++;
        return got;
    }

    public void Release(int count = 1)
    {
        if (count > 0) _free.Release(count);
    }

    /// <summary>Runs an activity on a slot already taken; the slot is released when the attempt ends.</summary>
    public void StartReserved(Storage.ActivityTaskLease task) => start(task);
}
