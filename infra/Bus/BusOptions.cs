namespace Pipeline.Infra.Bus;

/// <summary>How <see cref="BusServiceCollectionExtensions.AddPipelineBus"/> wires MassTransit.</summary>
public sealed record BusOptions
{
    /// <summary>Transport. Default <see cref="BusTransport.InMemory"/>.</summary>
    public BusTransport Transport { get; init; } = BusTransport.InMemory;

    /// <summary>RabbitMQ host name. Default <c>127.0.0.1</c>.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>RabbitMQ AMQP port. Default 5672.</summary>
    public int Port { get; init; } = 5672;

    /// <summary>RabbitMQ virtual host. Default <c>/</c>.</summary>
    public string VirtualHost { get; init; } = "/";

    /// <summary>RabbitMQ user. Default <c>guest</c> (which RabbitMQ only accepts over loopback).</summary>
    public string Username { get; init; } = "guest";

    /// <summary>RabbitMQ password. Default <c>guest</c>.</summary>
    public string Password { get; init; } = "guest";

    /// <summary>
    /// Redeliveries of a message whose consumer threw, before it is moved to <c>&lt;queue&gt;_error</c>. Default 3.
    /// 0 sends it to the error queue on the first failure.
    /// </summary>
    public int RetryCount { get; init; } = 3;

    /// <summary>Pause between those redeliveries. Default 200 ms.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// Wait in host start until every receive endpoint is ready. Default false, so a service still starts
    /// while the broker is down (MassTransit keeps reconnecting); tests set it to know consumers are bound.
    /// </summary>
    public bool WaitUntilStarted { get; init; }

    /// <summary>
    /// SQLite file of the durable outbox (<see cref="IEventOutbox"/>), or null for no outbox. With a path,
    /// <see cref="OutboxDispatcher"/> runs as a hosted service. Default null.
    /// </summary>
    public string? OutboxPath { get; init; }

    /// <summary>How often the dispatcher looks for new outbox rows when idle. Default 500 ms.</summary>
    public TimeSpan OutboxPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest pause between publish attempts while the broker is down (backoff doubles up to it). Default 30 s.</summary>
    public TimeSpan OutboxMaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one outbox publish may take before it counts as failed. Default 10 s.</summary>
    public TimeSpan PublishTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Throws <see cref="ArgumentException"/> naming every setting that is out of range.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!Enum.IsDefined(Transport))
            problems.Add($"Transport {(int)Transport} is not one of {string.Join(", ", Enum.GetNames<BusTransport>())}.");
        if (Transport == BusTransport.RabbitMq)
        {
            if (string.IsNullOrWhiteSpace(Host))
                problems.Add("Host is empty; RabbitMq needs the broker's host name.");
            if (Port is < 1 or > 65535)
                problems.Add($"Port {Port} is outside 1..65535.");
            if (string.IsNullOrEmpty(VirtualHost))
                problems.Add("VirtualHost is empty; use \"/\" for the default one.");
            if (string.IsNullOrEmpty(Username))
                problems.Add("Username is empty.");
        }
        if (RetryCount < 0)
            problems.Add($"RetryCount {RetryCount} is negative; use 0 for no retries.");
        if (RetryInterval < TimeSpan.Zero)
            problems.Add($"RetryInterval {RetryInterval} is negative.");
        if (OutboxPath is not null && string.IsNullOrWhiteSpace(OutboxPath))
            problems.Add("OutboxPath is blank; give a file path or null for no outbox.");
        if (OutboxPollInterval <= TimeSpan.Zero)
            problems.Add($"OutboxPollInterval {OutboxPollInterval} must be positive.");
        if (OutboxMaxBackoff < OutboxPollInterval)
            problems.Add($"OutboxMaxBackoff {OutboxMaxBackoff} is shorter than OutboxPollInterval {OutboxPollInterval}.");
        if (PublishTimeout <= TimeSpan.Zero)
            problems.Add($"PublishTimeout {PublishTimeout} must be positive.");
        if (problems.Count > 0)
            throw new ArgumentException("Invalid BusOptions: " + string.Join(" ", problems));
    }
}
