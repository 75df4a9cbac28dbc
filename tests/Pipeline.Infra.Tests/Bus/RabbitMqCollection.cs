namespace Pipeline.Infra.Tests.Bus;

/// <summary>Tests in this collection share one broker and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqCollection : ICollectionFixture<RabbitMqBroker>
{
    public const string Name = "rabbitmq";
}
