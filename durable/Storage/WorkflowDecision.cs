using Pipeline.Durable.Runtime;

namespace Pipeline.Durable.Storage;

/// <summary>A workflow task decided inside the transaction that reported the activity result it reacts to, so the
/// result and the decision commit together (one commit per step).</summary>
/// <param name="Lease">The task as decided: its History is the run's whole history.</param>
/// <param name="Commands">What the workflow code issued.</param>
/// <param name="EagerActivities">Activities of the decision to lease to the deciding worker at once.</param>
public sealed record WorkflowDecision(WorkflowTaskLease Lease, IReadOnlyList<WorkflowCommand> Commands, EagerActivityRequest? EagerActivities);
