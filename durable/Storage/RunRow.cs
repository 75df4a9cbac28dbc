namespace Pipeline.Durable.Storage;

/// <summary>The parts of a run row a write transaction needs after locking it.</summary>
internal sealed class RunRow
{
    public required string RunId { get; init; }
    public required string WorkflowId { get; init; }
    public required string WorkflowType { get; init; }
    public required string TaskQueue { get; init; }
    public required string Status { get; set; }
    public required long LastEventId { get; set; }
    public string? ParentWorkflowId { get; init; }
    public string? ParentRunId { get; init; }
    public int? ParentSeq { get; init; }
    public string? ParentClosePolicy { get; init; }
    public long WorkflowTaskTimeoutMs { get; init; }

    public bool IsOpen => Status == RunStatus.Running;

    /// <summary>What a workflow-task lease needs of the run (not its input, result or memo).</summary>
    public RunInfo ToRunInfo() => new()
    {
        WorkflowId = WorkflowId, RunId = RunId, WorkflowType = WorkflowType, TaskQueue = TaskQueue, Status = Status,
        LastEventId = LastEventId, ParentWorkflowId = ParentWorkflowId, ParentRunId = ParentRunId,
        WorkflowTaskTimeout = TimeSpan.FromMilliseconds(WorkflowTaskTimeoutMs),
    };

    public const string Columns =
        "run_id, workflow_id, workflow_type, task_queue, status, last_event_id, parent_run_id, parent_seq, wft_timeout_ms, parent_workflow_id, parent_close_policy";

    public static RunRow Read(System.Data.Common.DbDataReader r) => new()
    {
        RunId = r.GetString(0),
        WorkflowId = r.GetString(1),
        WorkflowType = r.GetString(2),
        TaskQueue = r.GetString(3),
        Status = r.GetString(4),
        LastEventId = Convert.ToInt64(r.GetValue(5)),
        ParentRunId = r.IsDBNull(6) ? null : r.GetString(6),
        ParentSeq = r.IsDBNull(7) ? null : Convert.ToInt32(r.GetValue(7)),
        WorkflowTaskTimeoutMs = Convert.ToInt64(r.GetValue(8)),
        ParentWorkflowId = r.IsDBNull(9) ? null : r.GetString(9),
        ParentClosePolicy = r.IsDBNull(10) ? null : r.GetString(10),
    };
}
