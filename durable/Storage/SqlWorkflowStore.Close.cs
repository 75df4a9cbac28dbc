using Pipeline.Durable.History;

namespace Pipeline.Durable.Storage;

public abstract partial class SqlWorkflowStore
{
    /// <summary>Closes a run whose closing event was just appended: drops its pending work, tells its parent,
    /// and applies the parent-close policy to its open children.</summary>
    private async Task CloseRunAsync(WriteContext w, RunRow run, string status, string? result, Failure? failure,
        DateTimeOffset now, CancellationToken ct)
    {
        run.Status = status;
        await w.Exec("UPDATE dw_runs SET status = @s, result = @res, failure = @f, closed_ms = @c, last_event_id = @e WHERE run_id = @r", ct,
            ("@s", status), ("@res", result), ("@f", failure is null ? null : Json(failure)), ("@c", Ms(now)),
            ("@e", run.LastEventId), ("@r", run.RunId));
        foreach (var table in new[] { "dw_workflow_tasks", "dw_timers", "dw_activity_tasks" })
            await w.Exec($"DELETE FROM {table} WHERE run_id = @r", ct, ("@r", run.RunId));

        if (status != RunStatus.ContinuedAsNew && run.ParentRunId is { } parentId)
            await NotifyParentAsync(w, run, parentId, status, result, failure, now, ct);
        await ApplyParentClosePolicyAsync(w, run, now, ct);
    }

    private static async Task NotifyParentAsync(WriteContext w, RunRow child, string parentId, string status, string? result,
        Failure? failure, DateTimeOffset now, CancellationToken ct)
    {
        var parent = await w.LockRunAsync(parentId, ct);
        if (parent is not { IsOpen: true }) return;
        var type = status switch
        {
            RunStatus.Completed => EventType.ChildWorkflowExecutionCompleted,
            RunStatus.Cancelled => EventType.ChildWorkflowExecutionCanceled,
            RunStatus.Terminated => EventType.ChildWorkflowExecutionTerminated,
            _ => EventType.ChildWorkflowExecutionFailed,
        };
        await w.AppendAsync(parent, new HistoryEvent
        {
            EventType = type, Timestamp = now, Seq = child.ParentSeq, Name = child.WorkflowType,
            WorkflowId = child.WorkflowId, RunId = child.RunId, Result = result, Failure = failure,
        }, ct);
        await w.EnsureWorkflowTaskAsync(parent, now, ct);
    }

    /// <summary>Asks a locked open run to cancel: its workflow code sees its cancellation token fire.</summary>
    private static async Task RequestCancelLockedAsync(WriteContext w, RunRow run, string reason, string identity, DateTimeOffset now,
        CancellationToken ct)
    {
        await w.AppendAsync(run, new HistoryEvent
        {
            EventType = EventType.WorkflowExecutionCancelRequested, Timestamp = now, Reason = reason, Identity = identity,
        }, ct);
        await w.EnsureWorkflowTaskAsync(run, now, ct);
    }

    private async Task ApplyParentClosePolicyAsync(WriteContext w, RunRow run, DateTimeOffset now, CancellationToken ct)
    {
        var children = new List<(string RunId, string? Policy)>();
        await using (var cmd = w.Command("SELECT run_id, parent_close_policy FROM dw_runs WHERE parent_run_id = @r AND status = 'running'",
            ("@r", run.RunId)))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct)) children.Add((r.GetString(0), Str(r, 1)));
        }
        foreach (var (childId, policy) in children)
        {
            if (policy == nameof(ParentClosePolicy.Abandon)) continue;
            var child = await w.LockRunAsync(childId, ct);
            if (child is not { IsOpen: true }) continue;
            var reason = $"parent {run.WorkflowId} ({run.RunId}) closed {run.Status}";
            if (policy == nameof(ParentClosePolicy.RequestCancel))
                await RequestCancelLockedAsync(w, child, reason, "parent-close-policy", now, ct);
            else
            {
                await TerminateLockedAsync(w, child, reason, "parent-close-policy", now, ct);
            }
        }
    }
}
