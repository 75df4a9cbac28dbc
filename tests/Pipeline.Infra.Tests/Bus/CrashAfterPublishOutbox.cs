using Pipeline.Infra.Bus;

namespace Pipeline.Infra.Tests.Bus;

/// <summary>An outbox whose first mark-sent "crashes": the publish happened, the record of it did not.</summary>
public sealed class CrashAfterPublishOutbox(IEventOutbox inner) : IEventOutbox
{
    private int _crashes = 1;

    public Task<Guid> EnqueueAsync<T>(T message, CancellationToken cancellationToken = default)
        where T : class => inner.EnqueueAsync(message, cancellationToken);

    public Task<IReadOnlyList<OutboxMessage>> PendingAsync(int max, CancellationToken cancellationToken = default) =>
        inner.PendingAsync(max, cancellationToken);

    public Task MarkSentAsync(long sequence, CancellationToken cancellationToken = default) =>
        Interlocked.Exchange(ref _crashes, 0) == 1
            ? throw new IOException("simulated crash between publish and mark-sent")
            : inner.MarkSentAsync(sequence, cancellationToken);

    public Task RecordFailureAsync(long sequence, string error, CancellationToken cancellationToken = default) =>
        inner.RecordFailureAsync(sequence, error, cancellationToken);
}
