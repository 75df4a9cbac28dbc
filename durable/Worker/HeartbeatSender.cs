using Pipeline.Durable.Storage;

namespace Pipeline.Durable.Worker;

/// <summary>Writes an attempt's heartbeats to the store without blocking the activity: the latest details are
/// kept and sent at most once per throttle interval: 80% of the heartbeat timeout, capped by
/// <see cref="WorkerOptions.MaxHeartbeatThrottle"/> (Temporal's rule and its maxHeartbeatThrottleInterval).</summary>
internal sealed class HeartbeatSender(IWorkflowStore store, WorkerOptions options, ActivityTaskLease task, CancellationTokenSource cts)
{
    private readonly object _lock = new();
    private readonly TimeSpan _throttle = task.Spec.HeartbeatMs is { } hb
        ? TimeSpan.FromMilliseconds(Math.Min(hb * 0.8, options.MaxHeartbeatThrottle.TotalMilliseconds)) : options.DefaultHeartbeatThrottle;
    private string? _pending;
    private bool _dirty;
    private Task _sending = Task.CompletedTask;
    private DateTimeOffset _lastSent = DateTimeOffset.MinValue;
    private bool _stopped;
    private readonly CancellationTokenSource _stopDelay = new();

    public ActivityExecutionContext? Context { get; set; }

    /// <summary>Details recorded but not yet written when the attempt ended (sent with its outcome).</summary>
    public string? Unsent { get; private set; }

    public void Record(string? details)
    {
        lock (_lock)
        {
            if (_stopped) return;
            if (details is not null) _pending = details;
            _dirty = true;
            if (!_sending.IsCompleted) return;
            var wait = _lastSent + _throttle - options.Clock.UtcNow;
            _sending = SendAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        }
    }

    private async Task SendAsync(TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            // Cut short at stop: whatever was waiting goes out with the attempt's outcome instead.
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cts.Token, _stopDelay.Token);
            try { await Task.Delay(delay, linked.Token); } catch (OperationCanceledException) { return; }
        }
        string? details;
        lock (_lock)
        {
            if (_stopped || !_dirty) return;
            (details, _pending, _dirty) = (_pending, null, false);
            _lastSent = options.Clock.UtcNow;
        }
        HeartbeatResult result;
        try
        {
            result = await store.RecordHeartbeatAsync(task.Key, details, options.Clock.UtcNow);
        }
        catch (Exception)
        {
            // The store is unreachable: keep the details for the next try; the heartbeat timeout decides.
            lock (_lock) { _pending ??= details; _dirty = true; }
            return;
        }
        if (result == HeartbeatResult.Ok) return;
        if (Context is { } ctx) ctx.CancelReason ??= result == HeartbeatResult.CancelRequested ? "cancel_requested" : "not_current";
        try { cts.Cancel(); } catch (ObjectDisposedException) { }
    }

    public async Task StopAsync()
    {
        Task sending;
        lock (_lock)
        {
            _stopped = true;
            Unsent = _dirty ? _pending : null;
            sending = _sending;
        }
        _stopDelay.Cancel();
        try { await sending; } catch (Exception) { }
    }
}
