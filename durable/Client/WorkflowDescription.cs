using Pipeline.Durable.Storage;

namespace Pipeline.Durable.Client;

/// <summary>A run and its activities in flight, as `workflow show` prints it.</summary>
public sealed record WorkflowDescription(RunInfo Run, IReadOnlyList<PendingActivity> PendingActivities);
