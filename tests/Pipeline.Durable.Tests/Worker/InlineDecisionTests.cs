using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Pipeline.Durable.Client;
using Pipeline.Durable.History;
using Pipeline.Durable.Runtime;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;
using Pipeline.Durable.Tests.Workflows;
using Pipeline.Durable.Worker;

namespace Pipeline.Durable.Tests.Worker;

/// <summary>A workflow task decided inside the transaction of the activity report that woke it: what happens when
/// its code throws.</summary>
public sealed class InlineDecisionTests
{
    [Theory]
    [InlineData("sqlite", false)]
    [InlineData("sqlite", true)]
    [InlineData("postgres", false)]
    [InlineData("postgres", true)]
    public async Task WorkflowCodeThrowsOnceAfterActivity_TaskFailureRecordedAndRunCompletes(string kind, bool disableEager)
    {
        // With eager dispatch on, one worker, the activity on the run's own queue and nothing else happening, the
        // activity's report finds the run's workflow task free and decides it inline: the first run of the code after
        // the activity (the one that throws) is the inline decision. With it off, a polled task throws. Both must
        // leave the same trace: one WorkflowTaskFailed, then a retry after backoff that completes the run.
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        await using var worker = new RunningWorker(env.Store, new WorkerOptions
        {
            TaskQueue = "flaky",
            Clock = env.Clock,
            RunMaintenance = false,
            DisableEagerDispatch = disableEager,
            Identity = "worker",
        }, w => w.AddWorkflow<FlakyAfterActivityWorkflow>().AddActivities(new VersioningActivities()));
        var id = $"flaky-{kind}-{disableEager}";
        var handle = await env.Client.StartWorkflowAsync((FlakyAfterActivityWorkflow wf) => wf.RunAsync(id),
            new WorkflowOptions { Id = id, TaskQueue = "flaky" });

        Assert.Equal("A!", await handle.GetResultAsync().WaitAsync(Eventually.Patience));

        var history = await handle.FetchHistoryAsync();
        var failed = Assert.Single(history.Of(EventType.WorkflowTaskFailed));
        Assert.Equal(("workflow_task", "flaky bug"), (failed.Failure?.Kind, failed.Failure?.Message));
        Assert.Equal(2, FlakyAfterActivityWorkflow.Reached[id]);
        HistoryAssert.Valid(history, typeof(FlakyAfterActivityWorkflow));
    }

    [Fact]
    public async Task TransientErrorAfterInlineDecision_ReportRetried_DecidedAgainFromWholeHistoryAndSlotsBalanced()
    {
        // PostgreSQL only: a lock timeout is the transient error we can provoke at will (SQLite waits out its busy
        // timeout instead). The report's transaction decides inline, then its commit waits on a timer key another
        // transaction holds and times out; the store runs the whole transaction again. The first decision took the
        // run's instance out of the cache and moved it on, so the second must start over from the whole history,
        // and what the first reserved must be given back.
        var (created, connectionString) = await TestStores.CreatePostgresAsync(";Options=-c lock_timeout=300");
        await using var store = created;
        var options = new WorkerOptions { TaskQueue = "q", Identity = "worker" };
        var started = new List<ActivityTaskLease>();
        var slots = new ActivitySlots(4, started.Add); // records the activities it would start, runs none
        var definition = WorkflowDefinition.For<StepThenTimerWorkflow>();
        var runner = new WorkflowTaskRunner(store, options, new Dictionary<string, WorkflowDefinition> { [definition.Name] = definition },
            slots, new HashSet<string> { "StepA", "StepB" }, NullLogger.Instance);
        var handle = await new WorkflowClient(store).StartWorkflowAsync((StepThenTimerWorkflow wf) => wf.RunAsync(),
            new WorkflowOptions { Id = "retried", TaskQueue = "q" });
        var first = await store.PollWorkflowTaskAsync("q", "worker", DateTimeOffset.UtcNow, runner.KnownHistory)
            ?? throw new InvalidOperationException("no task to lease");
        await runner.RunAsync(first, CancellationToken.None);
        var stepA = Assert.Single(started); // leased to us by the commit that scheduled it
        var known = runner.KnownHistory(stepA.RunId);
        Assert.NotEqual(0, known);

        await using var blocker = new NpgsqlConnection(connectionString);
        await blocker.OpenAsync();
        await using var held = await blocker.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("INSERT INTO dw_timers (run_id, seq, fire_ms) VALUES (@r, 3, 0)", blocker, held))
        {
            insert.Parameters.AddWithValue("r", stepA.RunId);
            await insert.ExecuteNonQueryAsync();
        }
        var leases = new List<WorkflowTaskLease>();
        var inline = new InlineDecision();
        var eager = new EagerWorkflowRequest("q", "worker", runner.KnownHistory, lease =>
        {
            leases.Add(lease);
            if (leases.Count == 2) held.Rollback(); // let the second try through
            return runner.DecideInline(lease, inline);
        });

        var finish = await store.FinishActivityAttemptAsync(stepA.Key, new ActivityOutcome { Kind = ActivityOutcomeKind.Completed, Result = "\"A\"" },
            DateTimeOffset.UtcNow, eager);
        Assert.True(finish is { Accepted: true, Decision: not null, Completion.Accepted: true });
        runner.AfterInlineCommit(inline, finish.Completion);

        Assert.Equal(2, leases.Count);
        Assert.Equal(known, leases[0].HistoryAfter); // the first try carried the cached instance on
        Assert.Equal(0, leases[1].HistoryAfter);     // the retry replays from the whole history
        Assert.Equal(Enumerable.Range(1, leases[1].History.Count).Select(i => (long)i), leases[1].History.Select(e => e.EventId));
        var history = await handle.FetchHistoryAsync();
        Assert.Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), history.Select(e => e.EventId));
        Assert.Single(history.Of(EventType.ActivityTaskCompleted));
        Assert.Single(history.Of(EventType.TimerStarted));
        Assert.Equal(["StepA", "StepB"], history.Of(EventType.ActivityTaskScheduled).Select(e => e.Name));
        Assert.Equal(["StepA", "StepB"], started.Select(a => a.ActivityType)); // StepB leased to us once
        Assert.Equal(history[^1].EventId, runner.KnownHistory(stepA.RunId));
        slots.Release(started.Count); // both activities end
        Assert.Equal(4, slots.TryReserve(4));
    }
}

/// <summary>One activity, then a second one and a timer scheduled by the same decision.</summary>
[Workflow]
internal sealed class StepThenTimerWorkflow
{
    [WorkflowRun]
    public async Task<string> RunAsync()
    {
        var a = await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepAAsync(), VersioningActivities.Options);
        var b = Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepBAsync(), VersioningActivities.Options);
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        return a + await b;
    }
}

/// <summary>Throws (a bug, not a FailureException) the first time its code runs past the activity, then behaves.</summary>
[Workflow]
internal sealed class FlakyAfterActivityWorkflow
{
    public static readonly ConcurrentDictionary<string, int> Reached = new();

    [WorkflowRun]
    public async Task<string> RunAsync(string key)
    {
        var a = await Workflow.ExecuteActivityAsync((VersioningActivities x) => x.StepAAsync(), VersioningActivities.Options);
        if (Reached.AddOrUpdate(key, 1, (_, n) => n + 1) == 1) throw new InvalidOperationException("flaky bug");
        return a + "!";
    }
}
