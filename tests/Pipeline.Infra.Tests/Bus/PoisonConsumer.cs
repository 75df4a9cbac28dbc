using MassTransit;
using Pipeline.Infra.Contracts;

namespace Pipeline.Infra.Tests.Bus;

/// <summary>A consumer that always throws, so every message it gets is poison.</summary>
public sealed class PoisonConsumer(AttemptCounter attempts) : IConsumer<DatasetVersionPublished>
{
    public const string Reason = "manifest unreadable";

    public Task Consume(ConsumeContext<DatasetVersionPublished> context)
    {
        attempts.Increment();
        throw new InvalidOperationException($"{Reason}: {context.Message.ManifestUri}");
    }
}
