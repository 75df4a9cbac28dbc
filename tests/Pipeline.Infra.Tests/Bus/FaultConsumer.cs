using MassTransit;
using Pipeline.Infra.Contracts;

namespace Pipeline.Infra.Tests.Bus;

/// <summary>
/// Records the <see cref="Fault{T}"/> MassTransit publishes when it gives up on a message and moves it
/// to <c>&lt;queue&gt;_error</c>: on the in-memory transport that is the observable side of the error queue.
/// </summary>
public sealed class FaultConsumer(FaultMessages faults) : IConsumer<Fault<DatasetVersionPublished>>
{
    public Task Consume(ConsumeContext<Fault<DatasetVersionPublished>> context)
    {
        faults.Messages.Add(context.Message, context.MessageId, new Dictionary<string, object?>());
        return Task.CompletedTask;
    }
}
