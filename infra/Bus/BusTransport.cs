namespace Pipeline.Infra.Bus;

/// <summary>Which broker carries the pipeline's events.</summary>
public enum BusTransport
{
    /// <summary>In-process queues: one process, nothing to install (the embedded default, and unit tests).</summary>
    InMemory,

    /// <summary>A RabbitMQ broker (<c>infra/services/rabbitmq.sh</c> starts one locally).</summary>
    RabbitMq,
}
