using System.Data.Common;
using Pipeline.Durable.History;

namespace Pipeline.Durable.Storage;

public abstract partial class SqlWorkflowStore
{
    private const string RunColumns = """
        workflow_id, run_id, workflow_type, task_queue, status, input, result, failure, started_ms, closed_ms,
        parent_workflow_id, parent_run_id, continued_from, continued_to, last_event_id, memo, wft_timeout_ms
        """;

    public async Task<StartResult> StartWorkflowAsync(StartWorkflowRequest request, DateTimeOffset now, CancellationToken ct = default)
    {
        try
        {
            return await StartOnceAsync(request, now, ct);
        }
        catch (DbException e) when (Dialect.IsUniqueViolation(e))
        {
            // Another start of the same id committed between our check and our insert: decide again, now seeing it.
            return await StartOnceAsync(request, now, ct);
        }
    }

    private async Task<StartResult> StartOnceAsync(StartWorkflowRequest request, DateTimeOffset now, CancellationToken ct)
    {
        return await WriteAsync(async w =>
        {
            await using (var cmd = w.Command($"SELECT run_id FROM dw_runs WHERE workflow_id = @id AND status = 'running'{Dialect.ForUpdate}",
                ("@id", request.WorkflowId)))
            {
                if (await cmd.ExecuteScalarAsync(ct) is string existing)
                {
                    switch (request.IdConflictPolicy)
                    {
                        case IdConflictPolicy.UseExisting:
                            return new StartResult(request.WorkflowId, existing, Created: false);
                        case IdConflictPolicy.Fail:
                            throw new WorkflowAlreadyStartedException(request.WorkflowId, existing, "a run is already open");
                        case IdConflictPolicy.TerminateExisting:
                            var run = await w.LockRunAsync(existing, ct);
                            await TerminateLockedAsync(w, run!, "terminated by a new start of the same id", request.Identity, now, ct);
                            break;
                    }
                }
            }
            await CheckReusePolicyAsync(w, request, ct);
            var runId = await InsertRunAsync(w, new NewRun(request.WorkflowId, request.WorkflowType, request.TaskQueue,
                request.Input, (long)request.WorkflowTaskTimeout.TotalMilliseconds, request.Memo, request.Identity), now, ct);
            return new StartResult(request.WorkflowId, runId, Created: true);
        }, ct);
    }

    private async Task CheckReusePolicyAsync(WriteContext w, StartWorkflowRequest request, CancellationToken ct)
    {
        if (request.IdReusePolicy == IdReusePolicy.AllowDuplicate) return;
        await using var cmd = w.Command(
            "SELECT run_id, status FROM dw_runs WHERE workflow_id = @id ORDER BY started_ms DESC, run_id DESC LIMIT 1",
            ("@id", request.WorkflowId));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return;
        var (lastRun, status) = (r.GetString(0), r.GetString(1));
        if (request.IdReusePolicy == IdReusePolicy.RejectDuplicate)
            throw new WorkflowAlreadyStartedException(request.WorkflowId, lastRun, "the id reuse policy is RejectDuplicate");
        if (status is RunStatus.Completed or RunStatus.ContinuedAsNew)
            throw new WorkflowAlreadyStartedException(request.WorkflowId, lastRun,
                $"the id reuse policy is AllowDuplicateFailedOnly and the last run ended {status}");
    }

    internal sealed record NewRun(string WorkflowId, string WorkflowType, string TaskQueue, string Input, long WorkflowTaskTimeoutMs,
        IReadOnlyDictionary<string, string>? Memo, string Identity, string? ParentWorkflowId = null, string? ParentRunId = null,
        int? ParentSeq = null, ParentClosePolicy? ParentClosePolicy = null, string? ContinuedFrom = null, string? RunId = null);

    /// <summary>Inserts a run with its WorkflowExecutionStarted event and first workflow task.</summary>
    private async Task<string> InsertRunAsync(WriteContext w, NewRun n, DateTimeOffset now, CancellationToken ct)
    {
        var runId = n.RunId ?? Guid.CreateVersion7(now).ToString();
        await w.Exec("""
            INSERT INTO dw_runs (run_id, workflow_id, workflow_type, task_queue, status, input, parent_workflow_id, parent_run_id,
              parent_seq, parent_close_policy, continued_from, memo, wft_timeout_ms, started_ms, last_event_id)
            VALUES (@r, @id, @t, @q, 'running', @in, @pw, @pr, @ps, @pc, @cf, @m, @wt, @s, 0)
            """, ct, ("@r", runId), ("@id", n.WorkflowId), ("@t", n.WorkflowType), ("@q", n.TaskQueue), ("@in", n.Input),
            ("@pw", n.ParentWorkflowId), ("@pr", n.ParentRunId), ("@ps", n.ParentSeq), ("@pc", n.ParentClosePolicy?.ToString()),
            ("@cf", n.ContinuedFrom), ("@m", n.Memo is null ? null : Json(n.Memo)), ("@wt", n.WorkflowTaskTimeoutMs), ("@s", Ms(now)));
        var run = new RunRow
        {
            RunId = runId, WorkflowId = n.WorkflowId, WorkflowType = n.WorkflowType, TaskQueue = n.TaskQueue,
            Status = RunStatus.Running, LastEventId = 0, WorkflowTaskTimeoutMs = n.WorkflowTaskTimeoutMs,
        };
        var started = new StartedDetails(Random.Shared.NextInt64(), n.ParentWorkflowId, n.ParentRunId, n.ContinuedFrom, n.Memo);
        await w.AppendAsync(run, new HistoryEvent
        {
            EventType = EventType.WorkflowExecutionStarted, Timestamp = now, Name = n.WorkflowType, Input = n.Input,
            TaskQueue = n.TaskQueue, WorkflowId = n.WorkflowId, RunId = runId, Identity = n.Identity, Details = Json(started),
        }, ct);
        await w.EnsureWorkflowTaskAsync(run, now, ct);
        return runId;
    }

    public Task<RunInfo?> GetRunAsync(string workflowId, string? runId = null, CancellationToken ct = default) =>
        ReadAsync(async conn =>
        {
            // The open run first: runs started in the same millisecond do not sort by start time (run ids are
            // random within a millisecond), and the open one is the run to signal, cancel or wait on.
            var sql = $"SELECT {RunColumns} FROM dw_runs WHERE workflow_id = @id"
                + (runId is null ? "" : " AND run_id = @r")
                + " ORDER BY CASE WHEN status = 'running' THEN 0 ELSE 1 END, started_ms DESC, run_id DESC LIMIT 1";
            await using var cmd = Command(conn, null, sql, ("@id", workflowId), ("@r", runId));
            await using var r = await cmd.ExecuteReaderAsync(ct);
            return await r.ReadAsync(ct) ? ReadRun(r) : null;
        }, ct);

    public Task<IReadOnlyList<RunInfo>> ListRunsAsync(RunQuery q, CancellationToken ct = default) =>
        ReadAsync<IReadOnlyList<RunInfo>>(async conn =>
        {
            var where = new List<string>();
            var args = new List<(string, object?)>();
            void Add(string clause, string name, object? value) { where.Add(clause); args.Add((name, value)); }
            if (q.Status is { } s) Add("status = @st", "@st", s);
            if (q.WorkflowType is { } t) Add("workflow_type = @ty", "@ty", t);
            if (q.WorkflowId is { } id) Add("workflow_id = @wid", "@wid", id);
            if (q.IdContains is { } i) Add("workflow_id LIKE @idl", "@idl", "%" + i + "%");
            if (q.StartedAfter is { } a) Add("started_ms >= @sa", "@sa", Ms(a));
            if (q.StartedBefore is { } b) Add("started_ms < @sb", "@sb", Ms(b));
            if (q.Memo is { } m) Add("memo LIKE @mm", "@mm", "%" + Json(m.Key) + ":" + Json(m.Value) + "%");
            var sql = $"SELECT {RunColumns} FROM dw_runs" + (where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "")
                + $" ORDER BY started_ms DESC, run_id DESC LIMIT {Math.Clamp(q.Limit, 1, 10_000)} OFFSET {Math.Max(0, q.Offset)}";
            await using var cmd = Command(conn, null, sql, [.. args]);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var list = new List<RunInfo>();
            while (await r.ReadAsync(ct)) list.Add(ReadRun(r));
            return list;
        }, ct);

    private static RunInfo ReadRun(DbDataReader r) => new()
    {
        WorkflowId = r.GetString(0), RunId = r.GetString(1), WorkflowType = r.GetString(2), TaskQueue = r.GetString(3),
        Status = r.GetString(4), Input = Str(r, 5), Result = Str(r, 6), Failure = FromJson<Failure>(Str(r, 7)),
        StartedAt = FromMs(Convert.ToInt64(r.GetValue(8))), ClosedAt = FromMs(r.GetValue(9)),
        ParentWorkflowId = Str(r, 10), ParentRunId = Str(r, 11), ContinuedFromRunId = Str(r, 12), ContinuedToRunId = Str(r, 13),
        LastEventId = Convert.ToInt64(r.GetValue(14)), Memo = FromJson<Dictionary<string, string>>(Str(r, 15)),
        WorkflowTaskTimeout = TimeSpan.FromMilliseconds(Convert.ToInt64(r.GetValue(16))),
    };

    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string runId, CancellationToken ct = default) =>
        ReadAsync(conn => ReadHistoryAsync(conn, null, runId, 0, ct), ct);

    private static async Task<IReadOnlyList<HistoryEvent>> ReadHistoryAsync(DbConnection conn, DbTransaction? tx, string runId,
        long afterEventId, CancellationToken ct)
    {
        await using var cmd = Command(conn, tx, "SELECT attrs FROM dw_events WHERE run_id = @r AND event_id > @a ORDER BY event_id",
            ("@r", runId), ("@a", afterEventId));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var events = new List<HistoryEvent>();
        while (await r.ReadAsync(ct)) events.Add(ReadEvent(r, 0));
        return events;
    }

    public Task<bool> SignalAsync(string runId, string name, string input, string identity, DateTimeOffset now, CancellationToken ct = default) =>
        AppendToOpenRunAsync(runId, new HistoryEvent
        {
            EventType = EventType.WorkflowExecutionSignaled, Timestamp = now, Name = name, Input = input, Identity = identity,
        }, ct);

    public Task<bool> RequestCancelAsync(string runId, string reason, string identity, DateTimeOffset now, CancellationToken ct = default) =>
        AppendToOpenRunAsync(runId, new HistoryEvent
        {
            EventType = EventType.WorkflowExecutionCancelRequested, Timestamp = now, Reason = reason, Identity = identity,
        }, ct);

    /// <summary>Appends an external event to an open run and wakes its workflow.</summary>
    private Task<bool> AppendToOpenRunAsync(string runId, HistoryEvent e, CancellationToken ct) =>
        WriteAsync(async w =>
        {
            var run = await w.LockRunAsync(runId, ct);
            if (run is not { IsOpen: true }) return false;
            await w.AppendAsync(run, e, ct);
            await w.EnsureWorkflowTaskAsync(run, e.Timestamp, ct);
            return true;
        }, ct);

    public Task<bool> TerminateAsync(string runId, string reason, string identity, DateTimeOffset now, CancellationToken ct = default) =>
        WriteAsync(async w =>
        {
            var run = await w.LockRunAsync(runId, ct);
            if (run is not { IsOpen: true }) return false;
            await TerminateLockedAsync(w, run, reason, identity, now, ct);
            return true;
        }, ct);

    private async Task TerminateLockedAsync(WriteContext w, RunRow run, string reason, string identity, DateTimeOffset now, CancellationToken ct)
    {
        var failure = new Failure { Kind = "terminated", Message = reason };
        await w.AppendAsync(run, new HistoryEvent
        {
            EventType = EventType.WorkflowExecutionTerminated, Timestamp = now, Reason = reason, Identity = identity, Failure = failure,
        }, ct);
        await CloseRunAsync(w, run, RunStatus.Terminated, null, failure, now, ct);
    }
}
