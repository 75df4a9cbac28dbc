namespace Pipeline.Durable.Client;

public sealed record WorkflowClientOptions
{
    public IClock Clock { get; init; } = SystemClock.Instance;

    /// <summary>Recorded as who started, signalled or cancelled. Default "client@{host}:{pid}".</summary>
    public string Identity { get; init; } = $"client@{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Workflow classes known to this client: needed to answer queries (they replay the run here)
    /// and to start workflows by class.</summary>
    public IReadOnlyList<Type> Workflows { get; init; } = [];

    /// <summary>Set by the time-skipping environment: time moves on while a result is awaited.</summary>
    internal Func<IDisposable>? AutoTimeSkipping { get; init; }
}
