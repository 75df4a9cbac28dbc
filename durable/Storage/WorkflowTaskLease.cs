using Pipeline.Durable.History;

namespace Pipeline.Durable.Storage;

/// <summary>A workflow task held by one worker: the run and its whole history, to be replayed.</summary>
public sealed record WorkflowTaskLease
{
    public required RunInfo Run { get; init; }
    /// <summary>The run's history, or only the events after <see cref="HistoryAfter"/> when the poller said it had
    /// the rest cached.</summary>
    public required IReadOnlyList<HistoryEvent> History { get; init; }

    /// <summary>0 when History is whole; otherwise the last event id the worker already had.</summary>
    public long HistoryAfter { get; init; }

    /// <summary>The workflow's clock for this task (Workflow.UtcNow).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    public required string Identity { get; init; }
    public int Attempt { get; init; } = 1;

    /// <summary>The lease token: only its holder may complete, fail or release the task.</summary>
    public string LeaseOwner { get; init; } = "";

    /// <summary>The history's last event id when leased: the commit fails if events were added since.</summary>
    public long ExpectedLastEventId => Run.LastEventId;
}
