using Pipeline.Infra.Bus;

namespace Pipeline.Workers.Cli;

/// <summary>For read-only uses of <see cref="Infra.Datasets.DatasetPublisher"/>: enqueueing through it is a bug, so it throws.</summary>
internal sealed class NoOutbox : IEventOutbox
{
    public static readonly NoOutbox Instance = new();

    public Task<Guid> EnqueueAsync<T>(T message, CancellationToken cancellationToken = default) where T : class =>
        throw new InvalidOperationException("this command only reads; it has no outbox");

    public Task<IReadOnlyList<OutboxMessage>> PendingAsync(int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<OutboxMessage>>([]);

    public Task MarkSentAsync(long sequence, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task RecordFailureAsync(long sequence, string error, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
