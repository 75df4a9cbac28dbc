namespace Pipeline.Workers.Hosting;

/// <summary>What a long-running process is for: <see cref="Server"/> runs the event consumers, the serving API, the
/// outbox dispatcher and workers; <see cref="Worker"/> only workers (more capacity on the same store).</summary>
public enum ProcessRole
{
    Server,
    Worker,
}
