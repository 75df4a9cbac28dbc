using System.Collections.Concurrent;

namespace Pipeline.Durable.Storage;

/// <summary>In-process wake-ups keyed by string ("w:queue", "a:queue", "r:runId"). Each key holds a task that
/// completes at the next pulse; waiters take it before they look, so no pulse between look and wait is lost.</summary>
public sealed class Notifier
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _signals = new();

    public Task Next(string key) =>
        _signals.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Pulse(string key)
    {
        if (_signals.TryRemove(key, out var tcs)) tcs.TrySetResult();
    }

    public void PulseAll()
    {
        foreach (var key in _signals.Keys) Pulse(key);
    }

    public static string TaskKey(TaskKind kind, string queue) => (kind == TaskKind.Workflow ? "w:" : "a:") + queue;

    public static string RunKey(string runId) => "r:" + runId;

    /// <summary>Pulsed when a timer or a delayed retry is created, so the maintenance loop re-reads its next deadline.</summary>
    public const string MaintenanceKey = "m:";
}
