using Pipeline.Durable.Runtime;
using Pipeline.Durable.Storage;

namespace Pipeline.Durable.Worker;

/// <summary>What a worker holds for a workflow task decided inside an activity report's transaction, until the
/// commit tells whether it stands: the instance to cache and the activity slots reserved for eager activities.</summary>
internal sealed class InlineDecision
{
    private WorkflowTaskRunner? _runner;

    public WorkflowInstance? Instance { get; private set; }
    public int Reserved { get; private set; }
    public WorkflowTaskLease? Lease { get; set; }

    /// <summary>What the workflow code threw when it was run inline (no decision then): recorded as the task's
    /// failure once the report has committed and leased the task.</summary>
    public Exception? CodeFailure { get; set; }

    public void Begin(WorkflowTaskRunner runner, WorkflowInstance instance, int reserved) =>
        (_runner, Instance, Reserved) = (runner, instance, reserved);

    /// <summary>The transaction did not commit (or is being retried): give back what a decision held.</summary>
    public void Abort()
    {
        _runner?.ReleaseSlots(Reserved);
        (_runner, Instance, Reserved, Lease, CodeFailure) = (null, null, 0, null, null);
    }
}
