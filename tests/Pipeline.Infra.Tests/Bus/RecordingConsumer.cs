using MassTransit;
using Pipeline.Infra.Contracts;

namespace Pipeline.Infra.Tests.Bus;

/// <summary>The "happy" consumer: records every DatasetVersionPublished it gets.</summary>
public sealed class RecordingConsumer(ReceivedMessages received) : IConsumer<DatasetVersionPublished>
{
    public Task Consume(ConsumeContext<DatasetVersionPublished> context)
    {
        received.Add(context.Message, context.MessageId, new Dictionary<string, object?>());
        return Task.CompletedTask;
    }
}
