using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipeline.Infra.Bus;

/// <summary>
/// Publishes the outbox's pending events in order. A row is marked sent only after its publish has
/// completed (on RabbitMQ: the broker confirmed it); a failed publish stops the batch, so a later event
/// never overtakes an earlier one, and the loop backs off (doubling up to <see cref="BusOptions.OutboxMaxBackoff"/>)
/// until the broker is back. At least once: see <see cref="IEventOutbox"/>.
/// </summary>
public sealed class OutboxDispatcher : BackgroundService
{
    private const int BatchSize = 100;
    private readonly IEventOutbox _outbox;
    private readonly IPublishEndpoint _publish;
    private readonly BusOptions _options;
    private readonly ILogger<OutboxDispatcher> _logger;

    public OutboxDispatcher(IEventOutbox outbox, IPublishEndpoint publish, BusOptions options, ILogger<OutboxDispatcher> logger)
    {
        _outbox = outbox;
        _publish = publish;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Publishes pending rows until none is left or one fails. Returns how many were published and
    /// whether the outbox was drained (false: a publish failed and the rest waits).
    /// </summary>
    public async Task<(int Published, bool Drained)> DispatchPendingAsync(CancellationToken cancellationToken)
    {
        var published = 0;
        while (true)
        {
            var batch = await _outbox.PendingAsync(BatchSize, cancellationToken);
            if (batch.Count == 0)
                return (published, true);
            foreach (var row in batch)
            {
                if (!await TryPublishAsync(row, cancellationToken))
                    return (published, false);
                await _outbox.MarkSentAsync(row.Sequence, cancellationToken);
                published++;
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = _options.OutboxPollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            bool drained;
            try
            {
                (_, drained) = await DispatchPendingAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The outbox file itself failed (disk, lock): keep the loop alive and try again later.
                _logger.LogError(e, "Outbox dispatch failed");
                drained = false;
            }
            backoff = drained
                ? _options.OutboxPollInterval
                : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.OutboxMaxBackoff.Ticks));
            try
            {
                await Task.Delay(backoff, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task<bool> TryPublishAsync(OutboxMessage row, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        try
        {
            var type = Type.GetType(row.TypeName, throwOnError: true)!;
            var message = JsonSerializer.Deserialize(row.Json, type)
                ?? throw new InvalidOperationException($"outbox row {row.Sequence} holds a null {row.TypeName}");
            await _publish.Publish(message, type, Pipe.Execute<PublishContext>(ctx => ctx.MessageId = row.MessageId), timeout.Token);
            return true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning(e, "Publishing outbox row {Sequence} ({Type}) failed, attempt {Attempt}; will retry",
                row.Sequence, row.TypeName, row.Attempts + 1);
            await _outbox.RecordFailureAsync(row.Sequence, e.Message, cancellationToken);
            return false;
        }
    }
}
