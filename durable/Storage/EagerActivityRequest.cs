namespace Pipeline.Durable.Storage;

/// <summary>Asks a workflow-task commit to lease the activities it schedules on the committing worker's own queue
/// right away (Temporal's eager activity execution): the worker runs them without a poll round trip.</summary>
/// <param name="TaskQueue">The worker's queue; activities for other queues are left for their pollers.</param>
/// <param name="Identity">The worker's identity, recorded as the lease holder.</param>
/// <param name="MaxActivities">Free activity slots the worker reserved for them.</param>
/// <param name="ActivityTypes">Activity types the worker can run.</param>
public sealed record EagerActivityRequest(string TaskQueue, string Identity, int MaxActivities, IReadOnlySet<string> ActivityTypes);
