using Pipeline.Durable.History;
using Pipeline.Durable.Runtime;

namespace Pipeline.Durable.Tests.Support;

/// <summary>What every recorded history must satisfy, whichever worker, cache or commit path wrote it.</summary>
public static class HistoryAssert
{
    private static readonly HashSet<EventType> ActivityEnds =
    [
        EventType.ActivityTaskCompleted, EventType.ActivityTaskFailed, EventType.ActivityTaskTimedOut, EventType.ActivityTaskCanceled,
    ];

    /// <summary>Ids contiguous from 1; every activity's events after its scheduling and at most one ending per activity;
    /// and a fresh replay of the closed run through <paramref name="workflowType"/> agrees with every recorded
    /// decision (Temporal's replayer check: it throws NonDeterminismException where the code and history disagree).</summary>
    public static void Valid(IReadOnlyList<HistoryEvent> history, Type workflowType)
    {
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.EventId));
        Assert.Equal(EventType.WorkflowExecutionStarted, history[0].EventType);
        foreach (var scheduled in history.Of(EventType.ActivityTaskScheduled))
        {
            var own = history.Where(e => e.Seq == scheduled.Seq && e.EventType != EventType.ActivityTaskScheduled).ToList();
            Assert.All(own, e => Assert.True(e.EventId > scheduled.EventId, $"event {e.EventId} ({e.EventType}) precedes its scheduling"));
            Assert.True(own.Count(e => ActivityEnds.Contains(e.EventType)) <= 1, $"activity seq {scheduled.Seq} ended more than once");
        }
        var replay = new WorkflowInstance(WorkflowDefinition.For(workflowType), history);
        Assert.Empty(replay.RunTask(history[^1].Timestamp));
    }
}
