namespace Pipeline.Infra.Bus;

/// <summary>
/// A durable queue of events to publish. <see cref="EnqueueAsync{T}"/> returns once the event is on disk;
/// <see cref="OutboxDispatcher"/> publishes it later, so a broker outage delays events but never loses them.
/// Delivery is at least once: a crash between publish and <see cref="MarkSentAsync"/> publishes the
/// event again (same <see cref="OutboxMessage.MessageId"/>), so consumers must be idempotent.
/// </summary>
public interface IEventOutbox
{
    /// <summary>Stores <paramref name="message"/> in one transaction and returns its message id.</summary>
    Task<Guid> EnqueueAsync<T>(T message, CancellationToken cancellationToken = default)
        where T : class;

    /// <summary>The oldest unsent events, in enqueue order, at most <paramref name="max"/>.</summary>
    Task<IReadOnlyList<OutboxMessage>> PendingAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>Marks an event published; it is never returned by <see cref="PendingAsync"/> again.</summary>
    Task MarkSentAsync(long sequence, CancellationToken cancellationToken = default);

    /// <summary>Counts a failed publish attempt and keeps the error for diagnosis.</summary>
    Task RecordFailureAsync(long sequence, string error, CancellationToken cancellationToken = default);
}
