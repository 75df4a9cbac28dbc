using System.Data.Common;
using System.Text;
using Pipeline.Durable.History;

namespace Pipeline.Durable.Storage;

/// <summary>One write transaction: locks runs, appends events, moves tasks, and collects the notifications to publish
/// when it commits. Round trips are what a step costs, so writes nobody reads back in the transaction (appended
/// events, run versions, <see cref="Defer"/>red statements) are held and sent together: ahead of the next query
/// (<see cref="Command"/>), or at commit (<see cref="FlushAsync"/>).</summary>
internal sealed class WriteContext(SqlWorkflowStore store, DbConnection conn, DbTransaction? tx)
{
    private readonly List<(string RunId, HistoryEvent Event)> _pendingEvents = [];
    private readonly Dictionary<string, RunRow> _touchedRuns = new();
    private readonly List<(string Sql, (string, object?)[] Args)> _deferred = [];

    public DbConnection Conn { get; } = conn;
    public DbTransaction? Tx { get; } = tx;

    /// <summary>For inline transactions (no transaction object): the BEGIN to send ahead of the first statement.</summary>
    public string? BeginSql { get; init; }

    /// <summary>True once BEGIN has been sent.</summary>
    public bool Begun { get; private set; }
    public HashSet<string> Notifications { get; } = [];
    public bool Rollback { get; set; }

    /// <summary>Runs a statement now and returns its row count (held writes are flushed first, separately, so the
    /// count is this statement's alone).</summary>
    public async Task<int> Exec(string sql, CancellationToken ct, params (string, object?)[] args)
    {
        if (HasPendingWrites) await FlushAsync(ct);
        return await SqlWorkflowStore.Exec(Conn, Tx, TakeBegin() + sql, ct, args);
    }

    private bool HasPendingWrites => _pendingEvents.Count > 0 || _touchedRuns.Count > 0 || _deferred.Count > 0;

    private string TakeBegin()
    {
        if (BeginSql is null || Begun) return "";
        Begun = true;
        return BeginSql;
    }

    /// <summary>Inline transactions: the held writes and COMMIT in one round trip.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        if (!Begun && !HasPendingWrites) return;
        var (sql, args) = TakePending();
        await SqlWorkflowStore.Exec(Conn, Tx, sql + "COMMIT;", ct, [.. args]);
    }

    /// <summary>A query to execute now, with the held writes prepended in the same round trip (they return no rows,
    /// so the reader starts at this query's results).</summary>
    public DbCommand Command(string sql, params (string, object?)[] args)
    {
        var (pendingSql, pendingArgs) = TakePending();
        return SqlWorkflowStore.Command(Conn, Tx, pendingSql + sql, [.. pendingArgs, .. args]);
    }

    /// <summary>Holds a write whose row count nobody needs until the next query or the commit.</summary>
    public void Defer(string sql, params (string Name, object? Value)[] args)
    {
        // Each held statement gets its own parameter names, since they all travel in one command: "@x" → "@x_d{k}".
        var suffix = $"_d{_deferred.Count}";
        var names = args.Select(a => a.Name).ToHashSet();
        var renamed = new StringBuilder(sql.Length + 8 * args.Length);
        for (var i = 0; i < sql.Length;)
        {
            if (sql[i] != '@')
            {
                renamed.Append(sql[i++]);
                continue;
            }
            var end = i + 1;
            while (end < sql.Length && (char.IsLetterOrDigit(sql[end]) || sql[end] == '_')) end++;
            var name = sql[i..end];
            renamed.Append(name);
            if (names.Contains(name)) renamed.Append(suffix);
            i = end;
        }
        _deferred.Add((renamed.ToString(), args.Select(a => (a.Name + suffix, a.Value)).ToArray()));
    }

    /// <summary>Locks the run row for the rest of the transaction (serializes event-id allocation).</summary>
    public async Task<RunRow?> LockRunAsync(string runId, CancellationToken ct)
    {
        await using var cmd = Command($"SELECT {RunRow.Columns} FROM dw_runs WHERE run_id = @r{store.DialectForUpdate}", ("@r", runId));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? RunRow.Read(r) : null;
    }

    /// <summary>Appends an event to the run's history, giving it the next event id (written with the next flush).
    /// Only closing events wake other processes' waiters (GetResult waits for the close).</summary>
    public Task<HistoryEvent> AppendAsync(RunRow run, HistoryEvent e, CancellationToken ct)
    {
        e = e with { EventId = ++run.LastEventId };
        _pendingEvents.Add((run.RunId, e));
        _touchedRuns[run.RunId] = run;
        if (EventTypes.IsClosing(e.EventType)) Notifications.Add(Notifier.RunKey(run.RunId));
        return Task.FromResult(e);
    }

    /// <summary>The events appended in this transaction so far, in order.</summary>
    public IEnumerable<HistoryEvent> AppendedTo(string runId) => _appended.Where(p => p.RunId == runId).Select(p => p.Event)
        .Concat(_pendingEvents.Where(p => p.RunId == runId).Select(p => p.Event));

    private readonly List<(string RunId, HistoryEvent Event)> _appended = [];

    /// <summary>Sends the held writes now (before the commit, or before reading what they wrote).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        var (sql, args) = TakePending();
        if (sql.Length > 0) await SqlWorkflowStore.Exec(Conn, Tx, sql, ct, [.. args]);
    }

    /// <summary>The held writes as one multi-statement text: events (one multi-row INSERT), run versions, deferred
    /// statements. Big event batches are split so no statement passes a database's parameter limit.</summary>
    private (string Sql, List<(string, object?)> Args) TakePending()
    {
        var sql = new StringBuilder(TakeBegin());
        var args = new List<(string, object?)>();
        const int chunk = 200;
        for (var start = 0; start < _pendingEvents.Count; start += chunk)
        {
            var end = Math.Min(start + chunk, _pendingEvents.Count);
            for (var i = start; i < end; i++)
            {
                var (runId, e) = _pendingEvents[i];
                sql.Append(i == start ? "INSERT INTO dw_events (run_id, event_id, event_type, time_ms, attrs) VALUES " : ", ")
                    .Append($"(@ev_r{i}, @ev_e{i}, @ev_t{i}, @ev_m{i}, @ev_a{i})");
                args.AddRange([($"@ev_r{i}", runId), ($"@ev_e{i}", e.EventId), ($"@ev_t{i}", e.EventType.ToString()),
                    ($"@ev_m{i}", SqlWorkflowStore.Ms(e.Timestamp)), ($"@ev_a{i}", SqlWorkflowStore.Json(e))]);
            }
            sql.Append("; ");
        }
        var k = 0;
        foreach (var run in _touchedRuns.Values)
        {
            sql.Append($"UPDATE dw_runs SET last_event_id = @rv_v{k} WHERE run_id = @rv_r{k}; ");
            args.AddRange([($"@rv_v{k}", run.LastEventId), ($"@rv_r{k}", run.RunId)]);
            k++;
        }
        foreach (var (s, a) in _deferred)
        {
            sql.Append(s).Append("; ");
            args.AddRange(a);
        }
        _appended.AddRange(_pendingEvents);
        _pendingEvents.Clear();
        _touchedRuns.Clear();
        _deferred.Clear();
        return (sql.ToString(), args);
    }

    /// <summary>Makes sure the run has a workflow task. A task already leased stays leased: its holder's commit
    /// will fail the version check and release it, so the new events are never missed.</summary>
    public Task EnsureWorkflowTaskAsync(RunRow run, DateTimeOffset visibleAt, CancellationToken ct)
    {
        Defer("""
            INSERT INTO dw_workflow_tasks (run_id, task_queue, visible_ms, attempt) VALUES (@r, @q, @v, 1)
            ON CONFLICT (run_id) DO NOTHING
            """, ("@r", run.RunId), ("@q", run.TaskQueue), ("@v", SqlWorkflowStore.Ms(visibleAt)));
        Notifications.Add(Notifier.TaskKey(TaskKind.Workflow, run.TaskQueue));
        return Task.CompletedTask;
    }
}
