namespace Pipeline.Durable.History;

/// <summary>Which events are the recorded effects of workflow commands (they follow a WorkflowTaskCompleted
/// and must match the commands the code issues on replay) and which close a run.</summary>
public static class EventTypes
{
    public static bool IsCommandEvent(EventType t) => t is EventType.ActivityTaskScheduled
        or EventType.ActivityTaskCancelRequested or EventType.TimerStarted or EventType.TimerCanceled
        or EventType.MarkerRecorded or EventType.StartChildWorkflowExecutionInitiated
        or EventType.RequestCancelExternalWorkflowExecutionInitiated
        or EventType.WorkflowExecutionCompleted or EventType.WorkflowExecutionFailed
        or EventType.WorkflowExecutionCanceled or EventType.WorkflowExecutionContinuedAsNew;

    public static bool IsClosing(EventType t) => t is EventType.WorkflowExecutionCompleted
        or EventType.WorkflowExecutionFailed or EventType.WorkflowExecutionCanceled
        or EventType.WorkflowExecutionTerminated or EventType.WorkflowExecutionContinuedAsNew;
}
