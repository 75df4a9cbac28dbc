using Pipeline.Durable;
using Pipeline.Durable.History;
using Pipeline.Durable.Storage;

namespace Pipeline.Ui.Api;

/// <summary>
/// A run's history folded the way Temporal's compact view and timeline show it: one group per activity, timer and
/// child workflow (scheduled → started → completed/failed, every attempt with its worker and failure), plus the
/// instants (signals, cancel requests, failed workflow tasks). The page draws both views from this.
/// </summary>
internal static class HistoryGroups
{
    public sealed record Attempt(int Number, DateTimeOffset? Started, DateTimeOffset? Ended, string? Identity, string Outcome, Failure? Failure, DateTimeOffset? NextAttemptAt);

    public sealed record Group(string Kind, int? Seq, string Name, string? TaskQueue, string Status, DateTimeOffset Scheduled, DateTimeOffset? Closed,
        IReadOnlyList<Attempt> Attempts, object? Result, Failure? Failure, string? WorkflowId, string? RunId, IReadOnlyList<long> EventIds);

    public sealed record Instant(string Kind, string? Name, DateTimeOffset Time, string? Identity, object? Input, Failure? Failure, long EventId);

    public sealed record View(DateTimeOffset Start, DateTimeOffset? End, IReadOnlyList<Group> Groups, IReadOnlyList<Instant> Instants);

    private sealed class Open(string kind, HistoryEvent first)
    {
        public string Kind { get; } = kind;
        public HistoryEvent First { get; } = first;
        public List<HistoryEvent> Events { get; } = [first];
    }

    public static View Build(RunInfo run, IReadOnlyList<HistoryEvent> history)
    {
        var open = new Dictionary<(string, int), Open>();
        var order = new List<Open>();
        var instants = new List<Instant>();
        foreach (var e in history)
        {
            if (KindOf(e.EventType) is { } kind && e.Seq is { } seq)
            {
                if (!open.TryGetValue((kind, seq), out var g))
                {
                    g = new Open(kind, e);
                    open[(kind, seq)] = g;
                    order.Add(g);
                }
                else
                {
                    g.Events.Add(e);
                }
                continue;
            }
            if (e.EventType is EventType.WorkflowExecutionSignaled or EventType.WorkflowExecutionCancelRequested or EventType.WorkflowTaskFailed
                or EventType.MarkerRecorded)
            {
                instants.Add(new Instant(e.EventType.ToString(), e.Name, e.Timestamp, e.Identity, Json.Parse(e.Input), e.Failure, e.EventId));
            }
        }
        return new View(run.StartedAt, run.ClosedAt, order.Select(ToGroup).ToList(), instants);
    }

    private static string? KindOf(EventType t) => t switch
    {
        EventType.ActivityTaskScheduled or EventType.ActivityTaskStarted or EventType.ActivityTaskCompleted or EventType.ActivityTaskFailed
            or EventType.ActivityTaskTimedOut or EventType.ActivityTaskCancelRequested or EventType.ActivityTaskCanceled
            or EventType.ActivityTaskAttemptFailed => "activity",
        EventType.TimerStarted or EventType.TimerFired or EventType.TimerCanceled => "timer",
        EventType.StartChildWorkflowExecutionInitiated or EventType.StartChildWorkflowExecutionFailed or EventType.ChildWorkflowExecutionStarted
            or EventType.ChildWorkflowExecutionCompleted or EventType.ChildWorkflowExecutionFailed or EventType.ChildWorkflowExecutionCanceled
            or EventType.ChildWorkflowExecutionTerminated or EventType.RequestCancelExternalWorkflowExecutionInitiated => "child",
        _ => null,
    };

    private static Group ToGroup(Open g)
    {
        var last = g.Events[^1];
        var (status, closed) = last.EventType switch
        {
            EventType.ActivityTaskCompleted or EventType.ChildWorkflowExecutionCompleted => ("completed", (DateTimeOffset?)last.Timestamp),
            EventType.ActivityTaskFailed or EventType.ChildWorkflowExecutionFailed or EventType.StartChildWorkflowExecutionFailed => ("failed", last.Timestamp),
            EventType.ActivityTaskTimedOut => ("timed_out", last.Timestamp),
            EventType.ActivityTaskCanceled or EventType.ChildWorkflowExecutionCanceled or EventType.TimerCanceled => ("canceled", last.Timestamp),
            EventType.ChildWorkflowExecutionTerminated => ("terminated", last.Timestamp),
            EventType.TimerFired => ("fired", last.Timestamp),
            EventType.ActivityTaskAttemptFailed => ("retrying", null),
            EventType.ActivityTaskStarted or EventType.ChildWorkflowExecutionStarted => ("running", null),
            _ => (g.Kind == "timer" ? "waiting" : "scheduled", null),
        };
        var child = g.Events.FirstOrDefault(e => e.EventType == EventType.ChildWorkflowExecutionStarted);
        return new Group(g.Kind, g.First.Seq, g.First.Name ?? g.Kind, g.First.TaskQueue, status, g.First.Timestamp, closed,
            g.Kind == "activity" ? Attempts(g.Events) : [], Json.Parse(last.Result), last.Failure,
            g.First.WorkflowId ?? child?.WorkflowId, child?.RunId, g.Events.Select(e => e.EventId).ToList());
    }

    /// <summary>Attempts from the started/attempt-failed/closing events. The engine writes an attempt's Started event
    /// when the attempt ends (as Temporal does), carrying the start time.</summary>
    private static List<Attempt> Attempts(IReadOnlyList<HistoryEvent> events)
    {
        var attempts = new List<Attempt>();
        DateTimeOffset? started = null;
        string? identity = null;
        foreach (var e in events)
        {
            switch (e.EventType)
            {
                case EventType.ActivityTaskStarted:
                    started = e.Time ?? e.Timestamp;
                    identity = e.Identity;
                    break;
                case EventType.ActivityTaskAttemptFailed:
                    attempts.Add(new Attempt(e.Attempt ?? attempts.Count + 1, started, e.Timestamp, e.Identity ?? identity,
                        e.Failure?.Kind == "timeout" ? "timed_out" : "failed", e.Failure, e.NextAttemptAt));
                    started = null;
                    break;
                case EventType.ActivityTaskCompleted or EventType.ActivityTaskFailed or EventType.ActivityTaskTimedOut or EventType.ActivityTaskCanceled:
                    var outcome = e.EventType switch
                    {
                        EventType.ActivityTaskCompleted => "completed",
                        EventType.ActivityTaskFailed => "failed",
                        EventType.ActivityTaskTimedOut => "timed_out",
                        _ => "canceled",
                    };
                    attempts.Add(new Attempt(e.Attempt ?? attempts.Count + 1, started, e.Timestamp, e.Identity ?? identity, outcome, e.Failure, null));
                    started = null;
                    break;
            }
        }
        return attempts;
    }
}
