namespace Pipeline.Durable.History;

/// <summary>History event types, named as Temporal names them.</summary>
public enum EventType
{
    WorkflowExecutionStarted,
    WorkflowTaskCompleted,
    WorkflowTaskFailed,
    ActivityTaskScheduled,
    ActivityTaskStarted,
    ActivityTaskCompleted,
    ActivityTaskFailed,
    ActivityTaskTimedOut,
    ActivityTaskCancelRequested,
    ActivityTaskCanceled,
    /// <summary>One attempt failed or timed out and a retry is scheduled (informational; the workflow is not woken).</summary>
    ActivityTaskAttemptFailed,
    TimerStarted,
    TimerFired,
    TimerCanceled,
    MarkerRecorded,
    StartChildWorkflowExecutionInitiated,
    StartChildWorkflowExecutionFailed,
    /// <summary>The parent asked its child to cancel (the child's cancellation token was cancelled).</summary>
    RequestCancelExternalWorkflowExecutionInitiated,
    ChildWorkflowExecutionStarted,
    ChildWorkflowExecutionCompleted,
    ChildWorkflowExecutionFailed,
    ChildWorkflowExecutionCanceled,
    ChildWorkflowExecutionTerminated,
    WorkflowExecutionSignaled,
    WorkflowExecutionCancelRequested,
    WorkflowExecutionCompleted,
    WorkflowExecutionFailed,
    WorkflowExecutionCanceled,
    WorkflowExecutionTerminated,
    WorkflowExecutionContinuedAsNew,
}
