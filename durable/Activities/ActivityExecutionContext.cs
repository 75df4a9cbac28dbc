using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Pipeline.Durable;

/// <summary>The running attempt's context, available inside activity code as ActivityExecutionContext.Current:
/// its info, its cancellation token, and heartbeats (progress that survives the attempt, for resuming).</summary>
public sealed class ActivityExecutionContext
{
    private static readonly AsyncLocal<ActivityExecutionContext?> CurrentContext = new();
    private readonly Action<string?> _heartbeat;

    internal ActivityExecutionContext(ActivityInfo info, CancellationToken token, Action<string?> heartbeat, ILogger logger)
    {
        Info = info;
        CancellationToken = token;
        _heartbeat = heartbeat;
        Logger = logger;
    }

    public static ActivityExecutionContext Current => CurrentContext.Value
        ?? throw new InvalidOperationException("ActivityExecutionContext.Current is only available inside an activity.");

    public static bool HasCurrent => CurrentContext.Value is not null;

    internal static ActivityExecutionContext? CurrentOrNull
    {
        get => CurrentContext.Value;
        set => CurrentContext.Value = value;
    }

    public ActivityInfo Info { get; }

    /// <summary>Cancelled when the workflow asks the activity to stop (learned at a heartbeat), when the attempt
    /// is no longer current (it timed out, the run closed), when its start-to-close time is up, or at worker shutdown.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Why the token fired, once it has: cancel_requested, not_current, timed_out or worker_shutdown.</summary>
    public string? CancelReason { get; internal set; }

    public ILogger Logger { get; }

    /// <summary>Reports that the attempt is alive, with optional progress details that the next attempt receives
    /// if this one dies (e.g. the URI of the latest checkpoint). Cheap: writes to the store are throttled.</summary>
    public void Heartbeat(params object?[] details) =>
        _heartbeat(details.Length == 0 ? null : DataConverter.SerializeArgs(details));

    /// <summary>The <paramref name="index"/>th detail of the last heartbeat of an earlier attempt, if there was one.</summary>
    public bool TryGetHeartbeatDetail<T>(int index, out T? value)
    {
        value = default;
        if (Info.HeartbeatDetails is null) return false;
        using var doc = JsonDocument.Parse(Info.HeartbeatDetails);
        if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.GetArrayLength() <= index) return false;
        value = doc.RootElement[index].Deserialize<T>(DataConverter.Options);
        return true;
    }
}
