using Npgsql;
using Pipeline.Durable.History;
using Pipeline.Durable.Runtime;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Tests.Support;

namespace Pipeline.Durable.Tests.Storage;

/// <summary>An activity's final report that asks for the workflow task it wakes (EagerWorkflowRequest), called on the
/// store directly: when it may decide the task in its own transaction, lease it, or must leave it to its holder.</summary>
public sealed class EagerWorkflowTaskTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ActivityOutcome Paid = new() { Kind = ActivityOutcomeKind.Completed, Result = "\"paid\"" };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task FinishActivityAttempt_WorkflowTaskHeldByAnotherWorker_AcceptedUndecidedAndHolderCommitRefused(string kind)
    {
        await using var store = await TestStores.CreateAsync(kind);
        var (runId, activity, _) = await ScheduleAndStartActivityAsync(store);
        Assert.True(await store.SignalAsync(runId, "poke", "[]", "test", Now));
        var held = await store.PollWorkflowTaskAsync("q", "worker-1", Now) ?? throw new InvalidOperationException("no task to lease");
        var decisions = 0;

        var finish = await store.FinishActivityAttemptAsync(activity.Key, Paid, Now,
            new EagerWorkflowRequest("q", "worker-2", _ => 0, _ => { decisions++; return null; }));

        Assert.True(finish.Accepted);
        Assert.Equal(0, decisions);
        Assert.Null(finish.EagerWorkflowTask);
        Assert.Null(finish.Decision);
        Assert.Null(await store.PollWorkflowTaskAsync("q", "worker-3", Now)); // still worker-1's
        Assert.False((await store.CompleteWorkflowTaskAsync(held, [new CompleteWorkflowCommand("\"stale\"")], Now)).Accepted);
        // Refused and released: the next poll replays the run with the activity's result and the signal.
        var fresh = await store.PollWorkflowTaskAsync("q", "worker-3", Now) ?? throw new InvalidOperationException("task not released");
        Assert.Contains(fresh.History, e => e.EventType == EventType.ActivityTaskCompleted);
        Assert.True((await store.CompleteWorkflowTaskAsync(fresh, [new CompleteWorkflowCommand("\"paid\"")], Now)).Accepted);
        var run = await store.GetRunAsync("wf", runId);
        Assert.Equal((RunStatus.Completed, "\"paid\""), (run?.Status, run?.Result));
        AssertContiguous(await store.GetHistoryAsync(runId));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task FinishActivityAttempt_WorkflowTaskFreeAndHistoryKnown_DecisionCommittedWithReportFromNewEventsOnly(string kind)
    {
        await using var store = await TestStores.CreateAsync(kind);
        var (runId, activity, known) = await ScheduleAndStartActivityAsync(store);
        var reportedAt = Now.AddSeconds(5);
        WorkflowTaskLease? seen = null;

        var finish = await store.FinishActivityAttemptAsync(activity.Key, Paid, reportedAt, new EagerWorkflowRequest("q", "worker-2",
            r => r == runId ? known : 0, lease => new WorkflowDecision(seen = lease, [new CompleteWorkflowCommand("\"paid\"")], null)));

        Assert.NotNull(seen);
        Assert.Equal(known, seen.HistoryAfter);
        Assert.Equal([EventType.ActivityTaskStarted, EventType.ActivityTaskCompleted], seen.History.Select(e => e.EventType));
        Assert.True(finish is { Accepted: true, Decision: not null, Completion.Accepted: true });
        Assert.Equal([EventType.WorkflowTaskCompleted, EventType.WorkflowExecutionCompleted], finish.Completion.Appended.Select(e => e.EventType));
        var history = await store.GetHistoryAsync(runId);
        AssertContiguous(history);
        Assert.All(history.Where(e => e.EventId > known), e => Assert.Equal(reportedAt, e.Timestamp)); // one commit
        Assert.Equal(RunStatus.Completed, (await store.GetRunAsync("wf", runId))?.Status);
        Assert.Null(await store.PollWorkflowTaskAsync("q", "worker-3", reportedAt));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task FinishActivityAttempt_DecisionDeclined_WorkflowTaskLeasedToReporterWithWholeHistory(string kind)
    {
        await using var store = await TestStores.CreateAsync(kind);
        var (runId, activity, _) = await ScheduleAndStartActivityAsync(store);

        var finish = await store.FinishActivityAttemptAsync(activity.Key, Paid, Now, new EagerWorkflowRequest("q", "worker-2", _ => 0, _ => null));

        var lease = finish.EagerWorkflowTask ?? throw new InvalidOperationException("the task was not leased to the reporter");
        Assert.Null(finish.Decision);
        Assert.StartsWith("worker-2#", lease.LeaseOwner);
        Assert.Equal(0, lease.HistoryAfter);
        AssertContiguous(lease.History);
        Assert.Equal(EventType.ActivityTaskCompleted, lease.History[^1].EventType);
        Assert.Null(await store.PollWorkflowTaskAsync("q", "worker-3", Now));
        Assert.True((await store.CompleteWorkflowTaskAsync(lease, [new CompleteWorkflowCommand("\"paid\"")], Now)).Accepted);
        Assert.Equal(RunStatus.Completed, (await store.GetRunAsync("wf", runId))?.Status);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task FinishActivityAttempt_ReporterDoesNotRunTheWorkflowType_TaskLeftQueuedForAWorkerThatDoes(string kind)
    {
        await using var store = await TestStores.CreateAsync(kind);
        var (runId, activity, _) = await ScheduleAndStartActivityAsync(store);
        var decisions = 0;

        var finish = await store.FinishActivityAttemptAsync(activity.Key, Paid, Now, new EagerWorkflowRequest("q", "worker-2", _ => 0,
            _ => { decisions++; return null; }, WorkflowTypes: new HashSet<string> { "SomethingElse" }));

        Assert.True(finish.Accepted);
        Assert.Equal(0, decisions);
        Assert.Null(finish.EagerWorkflowTask);
        var queued = await store.PollWorkflowTaskAsync("q", "worker-3", Now) ?? throw new InvalidOperationException("the task was not queued");
        Assert.Equal(runId, queued.Run.RunId);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task FinishActivityAttempt_DecisionThrows_ReportRolledBackAndNoConnectionLeftInTransaction(string kind)
    {
        string? connectionString = null;
        IWorkflowStore created;
        if (kind == "postgres") (created, connectionString) = await TestStores.CreatePostgresAsync();
        else created = await TestStores.CreateAsync(kind);
        await using var store = created;
        var (runId, activity, known) = await ScheduleAndStartActivityAsync(store);

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.FinishActivityAttemptAsync(activity.Key, Paid, Now,
            new EagerWorkflowRequest("q", "worker-2", _ => 0, _ => throw new InvalidOperationException("decision failed"))));

        Assert.Equal(known, (await store.GetHistoryAsync(runId)).Count);
        if (connectionString is not null) Assert.Equal(0, await IdleInTransactionAsync(connectionString));
        // The attempt is still current and the run unlocked: the report goes through without the eager request.
        var retried = await store.FinishActivityAttemptAsync(activity.Key, Paid, Now).WaitAsync(Eventually.Patience);
        Assert.True(retried.Accepted);
        Assert.Single((await store.GetHistoryAsync(runId)).Of(EventType.ActivityTaskCompleted));
    }

    /// <summary>Starts a run, commits its first task scheduling one activity on queue "q", and leases that activity to
    /// worker-2; returns the run, the activity and the history's last event id.</summary>
    private static async Task<(string RunId, ActivityTaskLease Activity, long LastEventId)> ScheduleAndStartActivityAsync(IWorkflowStore store)
    {
        var start = await store.StartWorkflowAsync(new StartWorkflowRequest
        {
            WorkflowId = "wf",
            WorkflowType = "Any",
            TaskQueue = "q",
            Input = "[]",
            WorkflowTaskTimeout = TimeSpan.FromSeconds(10),
        }, Now);
        var first = await store.PollWorkflowTaskAsync("q", "worker-1", Now) ?? throw new InvalidOperationException("no task to lease");
        var schedule = new ScheduleActivityCommand(1, "Charge", "q", "[]", new ActivitySpec { StartToCloseMs = 60_000, RetryPolicy = RetryPolicy.Default });
        var committed = await store.CompleteWorkflowTaskAsync(first, [schedule], Now);
        Assert.True(committed.Accepted);
        var activity = await store.PollActivityTaskAsync("q", "worker-2", Now) ?? throw new InvalidOperationException("no activity to lease");
        return (start.RunId, activity, committed.Appended[^1].EventId);
    }

    private static void AssertContiguous(IReadOnlyList<HistoryEvent> history) =>
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.EventId));

    /// <summary>Backends of this database sitting in an open transaction (holding whatever locks it took).</summary>
    private static async Task<long> IdleInTransactionAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'", conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
