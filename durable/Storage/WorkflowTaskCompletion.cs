using Pipeline.Durable.History;

namespace Pipeline.Durable.Storage;

/// <summary>The result of committing a workflow task.</summary>
/// <param name="Accepted">False when the history moved on since the lease (the task is released for a fresh replay).</param>
/// <param name="Appended">The events the commit recorded, in order.</param>
/// <param name="EagerActivities">Activities leased to the committing worker (see <see cref="EagerActivityRequest"/>).</param>
public sealed record WorkflowTaskCompletion(bool Accepted, IReadOnlyList<HistoryEvent> Appended, IReadOnlyList<ActivityTaskLease> EagerActivities)
{
    public static WorkflowTaskCompletion Rejected { get; } = new(false, [], []);
}
