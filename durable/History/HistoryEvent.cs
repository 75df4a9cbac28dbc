using System.Text.Json.Serialization;

namespace Pipeline.Durable.History;

/// <summary>One entry of a run's append-only history. Attributes are flat and optional: each event type
/// uses the ones that apply (see docs in durable/README.md). Payloads are JSON strings.</summary>
public sealed record HistoryEvent
{
    public long EventId { get; init; }
    public EventType EventType { get; init; }
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>The command sequence number an activity, timer or child workflow carries through its events.</summary>
    public int? Seq { get; init; }

    /// <summary>Activity type, workflow type, signal name, marker name.</summary>
    public string? Name { get; init; }

    public string? Input { get; init; }
    public string? Result { get; init; }
    public Failure? Failure { get; init; }
    public int? Attempt { get; init; }

    /// <summary>The worker (host:pid:name) that did the work this event records.</summary>
    public string? Identity { get; init; }

    public string? TaskQueue { get; init; }
    public string? WorkflowId { get; init; }
    public string? RunId { get; init; }

    /// <summary>Timer fire time; workflow-task start time (the workflow's clock for that task); attempt start.</summary>
    public DateTimeOffset? Time { get; init; }

    /// <summary>When a retry is due (ActivityTaskAttemptFailed).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Activity options as recorded when scheduled; child workflow options; patch id for markers.</summary>
    public string? Details { get; init; }

    public string? Reason { get; init; }

    [JsonIgnore]
    public bool IsCommandEvent => EventTypes.IsCommandEvent(EventType);
}
