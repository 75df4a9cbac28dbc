using Pipeline.Durable.History;
using Pipeline.Durable.Testing;
using Pipeline.Durable.Tests.Support;

namespace Pipeline.Durable.Tests.Workflows;

public sealed class RetryTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ExecuteActivity_FailsThenSucceeds_RetriesSpacedByBackoff(string kind)
    {
        var activities = new RetryActivities(failuresBeforeSuccess: 4);
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("retry", w => w.AddWorkflow<RetryingWorkflow>().AddActivities(activities));
        // 1 s × 2^k capped at 5 s: waits of 1, 2, 4, 5 s before attempts 2..5.
        var scenario = new RetryScenario("Flaky", InitialSeconds: 1, Coefficient: 2, MaximumSeconds: 5);

        var handle = await env.Client.StartWorkflowAsync((RetryingWorkflow wf) => wf.RunAsync(scenario),
            new WorkflowOptions { Id = "retry-backoff", TaskQueue = "retry" });
        var outcome = await handle.GetResultAsync().WaitAsync(Eventually.Patience);

        Assert.Equal(new RetryOutcome("ok on attempt 5", null, null, null, null), outcome);
        var history = await handle.FetchHistoryAsync();
        Assert.Equal([1, 2, 3, 4, 5], history.Of(EventType.ActivityTaskStarted).Select(e => e.Attempt));
        var failed = history.Of(EventType.ActivityTaskAttemptFailed);
        Assert.Equal([1, 2, 3, 4], failed.Select(e => e.Attempt));
        Assert.Equal([1.0, 2.0, 4.0, 5.0], failed.Select(e => (e.NextAttemptAt!.Value - e.Timestamp).TotalSeconds));
        // Each retry started exactly when it became due (the fake clock jumped straight to it).
        var startedAt = history.Of(EventType.ActivityTaskStarted).Skip(1).Select(e => e.Time);
        Assert.Equal(failed.Select(e => e.NextAttemptAt), startedAt);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ExecuteActivity_MaximumAttemptsExhausted_WorkflowCatchesApplicationFailureCause(string kind)
    {
        var activities = new RetryActivities(failuresBeforeSuccess: int.MaxValue);
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("retry", w => w.AddWorkflow<RetryingWorkflow>().AddActivities(activities));

        var scenario = new RetryScenario("Flaky", MaximumAttempts: 3);

        var handle = await env.Client.StartWorkflowAsync((RetryingWorkflow wf) => wf.RunAsync(scenario),
            new WorkflowOptions { Id = "retry-exhausted", TaskQueue = "retry" });
        var outcome = await handle.GetResultAsync().WaitAsync(Eventually.Patience);

        Assert.Equal(new RetryOutcome(null, 3, nameof(ApplicationFailureException), "Flaky", "attempt 3 failed"), outcome);
        Assert.Equal(3, activities.Attempts);
        var history = await handle.FetchHistoryAsync();
        Assert.Equal(2, history.Of(EventType.ActivityTaskAttemptFailed).Count);
        Assert.Equal(3, Assert.Single(history.Of(EventType.ActivityTaskFailed)).Attempt);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ExecuteActivity_ErrorTypeListedNonRetryable_OneAttempt(string kind)
    {
        var activities = new RetryActivities(failuresBeforeSuccess: 0);
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("retry", w => w.AddWorkflow<RetryingWorkflow>().AddActivities(activities));
        var scenario = new RetryScenario("BadInput", MaximumAttempts: 10, NonRetryableErrorTypes: [nameof(InvalidOperationException)]);

        var handle = await env.Client.StartWorkflowAsync((RetryingWorkflow wf) => wf.RunAsync(scenario),
            new WorkflowOptions { Id = "retry-nonretryable-type", TaskQueue = "retry" });
        var outcome = await handle.GetResultAsync().WaitAsync(Eventually.Patience);

        Assert.Equal(new RetryOutcome(null, 1, nameof(ApplicationFailureException), nameof(InvalidOperationException), "bad input"), outcome);
        Assert.Equal(1, activities.Attempts);
        Assert.Empty((await handle.FetchHistoryAsync()).Of(EventType.ActivityTaskAttemptFailed));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task ExecuteActivity_ApplicationFailureMarkedNonRetryable_OneAttempt(string kind)
    {
        var activities = new RetryActivities(failuresBeforeSuccess: 0);
        await using var env = await WorkflowEnvironment.StartTimeSkippingAsync(store: await TestStores.CreateAsync(kind));
        env.NewWorker("retry", w => w.AddWorkflow<RetryingWorkflow>().AddActivities(activities));

        var scenario = new RetryScenario("Fatal", MaximumAttempts: 10);

        var handle = await env.Client.StartWorkflowAsync((RetryingWorkflow wf) => wf.RunAsync(scenario),
            new WorkflowOptions { Id = "retry-nonretryable-flag", TaskQueue = "retry" });
        var outcome = await handle.GetResultAsync().WaitAsync(Eventually.Patience);

        Assert.Equal(new RetryOutcome(null, 1, nameof(ApplicationFailureException), "Fatal", "fatal"), outcome);
        Assert.Equal(1, activities.Attempts);
        Assert.Empty((await handle.FetchHistoryAsync()).Of(EventType.ActivityTaskAttemptFailed));
    }
}

/// <summary>Which activity to call under which retry policy.</summary>
internal sealed record RetryScenario(string Activity, double InitialSeconds = 1, double Coefficient = 2, double? MaximumSeconds = null,
    int MaximumAttempts = 0, string[]? NonRetryableErrorTypes = null);

/// <summary>The activity's result, or how it failed for good as the workflow saw it.</summary>
internal sealed record RetryOutcome(string? Result, int? Attempts, string? CauseType, string? CauseErrorType, string? CauseMessage);

[Workflow]
internal sealed class RetryingWorkflow
{
    [WorkflowRun]
    public async Task<RetryOutcome> RunAsync(RetryScenario s)
    {
        var options = new ActivityOptions
        {
            StartToCloseTimeout = TimeSpan.FromMinutes(1),
            RetryPolicy = new RetryPolicy
            {
                InitialInterval = TimeSpan.FromSeconds(s.InitialSeconds),
                BackoffCoefficient = s.Coefficient,
                MaximumInterval = s.MaximumSeconds is { } max ? TimeSpan.FromSeconds(max) : null,
                MaximumAttempts = s.MaximumAttempts,
                NonRetryableErrorTypes = s.NonRetryableErrorTypes ?? [],
            },
        };
        try
        {
            return new RetryOutcome(await Workflow.ExecuteActivityAsync<string>(s.Activity, [], options), null, null, null, null);
        }
        catch (ActivityFailureException e)
        {
            var cause = e.InnerException as ApplicationFailureException;
            return new RetryOutcome(null, e.Attempt, e.InnerException?.GetType().Name, cause?.ErrorType, cause?.Message);
        }
    }
}

internal sealed class RetryActivities(int failuresBeforeSuccess)
{
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    [Activity]
    public Task<string> FlakyAsync()
    {
        Interlocked.Increment(ref _attempts);
        var attempt = ActivityExecutionContext.Current.Info.Attempt;
        if (attempt <= failuresBeforeSuccess) throw new ApplicationFailureException($"attempt {attempt} failed", "Flaky");
        return Task.FromResult($"ok on attempt {attempt}");
    }

    [Activity]
    public Task<string> BadInputAsync()
    {
        Interlocked.Increment(ref _attempts);
        throw new InvalidOperationException("bad input");
    }

    [Activity]
    public Task<string> FatalAsync()
    {
        Interlocked.Increment(ref _attempts);
        throw new ApplicationFailureException("fatal", "Fatal", nonRetryable: true);
    }
}
