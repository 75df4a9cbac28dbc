namespace Pipeline.Durable.Runtime;

/// <summary>What workflow code asks the engine to do. A workflow task's commands are committed atomically with
/// their history events; on replay they must match those events one for one.</summary>
public abstract record WorkflowCommand
{
    /// <summary>A short description used in non-determinism errors, e.g. "ScheduleActivity 'Train' (seq 3)".</summary>
    public abstract string Describe();
}

public sealed record ScheduleActivityCommand(int Seq, string ActivityType, string TaskQueue, string Input,
    ActivitySpec Spec) : WorkflowCommand
{
    public override string Describe() => $"ScheduleActivity '{ActivityType}' (seq {Seq})";
}

public sealed record RequestCancelActivityCommand(int Seq) : WorkflowCommand
{
    public override string Describe() => $"RequestCancelActivity (seq {Seq})";
}

public sealed record StartTimerCommand(int Seq, DateTimeOffset FireAt) : WorkflowCommand
{
    public override string Describe() => $"StartTimer (seq {Seq})";
}

public sealed record CancelTimerCommand(int Seq) : WorkflowCommand
{
    public override string Describe() => $"CancelTimer (seq {Seq})";
}

public sealed record RecordMarkerCommand(string Name, string Details) : WorkflowCommand
{
    public override string Describe() => $"RecordMarker '{Name}' ({Details})";
}

public sealed record StartChildWorkflowCommand(int Seq, string WorkflowType, string WorkflowId, string TaskQueue,
    string Input, ParentClosePolicy ParentClosePolicy) : WorkflowCommand
{
    public override string Describe() => $"StartChildWorkflow '{WorkflowType}' id '{WorkflowId}' (seq {Seq})";
}

public sealed record RequestCancelChildWorkflowCommand(int Seq, string WorkflowId) : WorkflowCommand
{
    public override string Describe() => $"RequestCancelChildWorkflow id '{WorkflowId}' (seq {Seq})";
}

public sealed record CompleteWorkflowCommand(string Result) : WorkflowCommand
{
    public override string Describe() => "CompleteWorkflow";
}

public sealed record FailWorkflowCommand(Failure Failure) : WorkflowCommand
{
    public override string Describe() => "FailWorkflow";
}

public sealed record CancelWorkflowCommand : WorkflowCommand
{
    public override string Describe() => "CancelWorkflow";
}

public sealed record ContinueAsNewCommand(string WorkflowType, string TaskQueue, string Input) : WorkflowCommand
{
    public override string Describe() => $"ContinueAsNew '{WorkflowType}'";
}
