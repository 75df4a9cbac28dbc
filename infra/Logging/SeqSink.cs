using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Serilog.Core;
using Serilog.Debugging;
using Serilog.Events;

namespace Pipeline.Infra.Logging;

/// <summary>
/// Ships events to Seq's <c>/ingest/clef</c> endpoint in batches, from a background loop.
/// The pipeline must never wait on or fail because of its logging: <see cref="Emit"/> only writes
/// into a bounded in-memory queue (when full the oldest event is dropped and counted), every
/// network failure is retried with capped exponential backoff, and everything that goes wrong is
/// reported to Serilog's <see cref="SelfLog"/>, never thrown.
/// </summary>
public sealed class SeqSink : ILogEventSink, IDisposable
{
    private readonly SeqSinkOptions _options;
    private readonly Channel<LogEvent> _queue;
    private readonly SeqIngestClient _client;
    private readonly ClefFormatter _formatter = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    // Cancelled DisposeTimeout after Dispose: only then is a POST in flight abandoned. Cancelling it
    // at once could lose the answer to a delivered batch and send that batch twice.
    private readonly CancellationTokenSource _abandon = new();
    private readonly Task _loop;
    private int _wakePending;
    private long _dropped;
    private int _disposed;

    // A batch that failed with a retryable error stays here, already formatted, until it is sent.
    private string? _pending;
    private int _pendingCount;

    public SeqSink(SeqSinkOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _queue = Channel.CreateBounded<LogEvent>(
            new BoundedChannelOptions(options.QueueLimit) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
        _client = new SeqIngestClient(options.ServerUrl, options.ApiKey);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Events lost because the queue was full, Seq rejected them, or the final flush ran out of time.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Events waiting in the queue (not counting a batch being retried).</summary>
    public int BufferedCount => _queue.Reader.Count;

    public void Emit(LogEvent logEvent)
    {
        if (!_queue.Writer.TryWrite(logEvent))
        {
            Interlocked.Increment(ref _dropped); // only after Dispose
            return;
        }
        if (_queue.Reader.Count >= _options.BatchSize && Interlocked.Exchange(ref _wakePending, 1) == 0)
            _wake.Release();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _queue.Writer.TryComplete();
        _stop.Cancel();
        _abandon.CancelAfter(_options.DisposeTimeout);
        // The loop finishes under DisposeTimeout; the margin covers its bookkeeping.
        if (!_loop.Wait(_options.DisposeTimeout + TimeSpan.FromSeconds(1)))
        {
            // Leave the loop's resources to the GC rather than pull them from under it.
            SelfLog.WriteLine("SeqSink: final flush did not finish within {0}", _options.DisposeTimeout);
            return;
        }
        _client.Dispose();
        _stop.Dispose();
        _abandon.Dispose();
        _wake.Dispose();
    }

    private async Task LoopAsync()
    {
        var backoff = TimeSpan.Zero;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (backoff > TimeSpan.Zero) await Task.Delay(backoff, _stop.Token);
                else await _wake.WaitAsync(_options.Period, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            Volatile.Write(ref _wakePending, 0);
            backoff = await ShipAllAsync(backoff);
        }
        await FinalFlushAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            await LoopAsync();
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("SeqSink: the shipping loop stopped: {0}", ex);
        }
    }

    // Sends batch after batch until the queue is empty or a POST fails; returns the next backoff.
    private async Task<TimeSpan> ShipAllAsync(TimeSpan backoff)
    {
        while (TakeBatch())
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_abandon.Token);
            deadline.CancelAfter(_options.RequestTimeout);
            if (!await PostPendingAsync(deadline.Token))
            {
                var next = backoff == TimeSpan.Zero ? _options.MinBackoff : backoff * 2;
                return next > _options.MaxBackoff ? _options.MaxBackoff : next;
            }
        }
        return TimeSpan.Zero;
    }

    private async Task FinalFlushAsync()
    {
        while (TakeBatch())
        {
            if (!await PostPendingAsync(_abandon.Token))
            {
                var lost = _pendingCount + _queue.Reader.Count;
                Interlocked.Add(ref _dropped, lost);
                SelfLog.WriteLine("SeqSink: final flush failed; {0} events not delivered", lost);
                return;
            }
        }
    }

    // Ensures a batch is pending (the one being retried, or a fresh one); false when there is none.
    private bool TakeBatch()
    {
        if (_pending is not null) return true;
        var batch = new StringBuilder();
        var count = 0;
        while (count < _options.BatchSize && _queue.Reader.TryRead(out var logEvent))
        {
            var line = new StringWriter(CultureInfo.InvariantCulture);
            try
            {
                _formatter.Format(logEvent, line);
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref _dropped);
                SelfLog.WriteLine("SeqSink: could not format an event: {0}", ex);
                continue;
            }
            batch.Append(line.ToString());
            count++;
        }
        if (count == 0) return false;
        (_pending, _pendingCount) = (batch.ToString(), count);
        return true;
    }

    // True when the pending batch is done with: delivered, or rejected for good (and counted).
    private async Task<bool> PostPendingAsync(CancellationToken cancellationToken)
    {
        var outcome = await _client.PostAsync(_pending!, cancellationToken);
        if (outcome == SeqPostOutcome.Retry) return false;
        if (outcome == SeqPostOutcome.Rejected)
        {
            Interlocked.Add(ref _dropped, _pendingCount);
            SelfLog.WriteLine("SeqSink: gave up on a batch of {0} events", _pendingCount);
        }
        (_pending, _pendingCount) = (null, 0);
        return true;
    }
}
