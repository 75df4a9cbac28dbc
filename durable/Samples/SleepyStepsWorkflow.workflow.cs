namespace Pipeline.Durable.Samples;

/// <summary>The engine's smoke test for operators: N activities one after another, each heartbeating while it
/// sleeps, optionally with a durable timer between them. Kill the worker at any point and start another one:
/// the log ends with each "step i" exactly once.</summary>
[Workflow]
public sealed class SleepyStepsWorkflow
{
    private int _completed;

    [WorkflowQuery]
    public int CurrentStep => _completed;

    [WorkflowRun]
    public async Task<SleepyStepsResult> RunAsync(SleepyStepsInput input)
    {
        if (input.Steps < 0) throw new ApplicationFailureException($"steps must be >= 0, was {input.Steps}", "InvalidInput", nonRetryable: true);
        var options = new ActivityOptions
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(input.StepSeconds * 3 + 60),
            HeartbeatTimeout = TimeSpan.FromSeconds(input.HeartbeatTimeoutSeconds),
            RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromMilliseconds(200), MaximumAttempts = 10 },
        };
        for (var i = 1; i <= input.Steps; i++)
        {
            await Workflow.ExecuteActivityAsync((SleepyStepsActivities a) => a.StepAsync(new SleepyStepRequest(i, input.StepSeconds, input.LogFile)),
                options);
            _completed = i;
            if (input.TimerSeconds > 0 && i < input.Steps) await Workflow.DelayAsync(TimeSpan.FromSeconds(input.TimerSeconds));
        }
        return new SleepyStepsResult(_completed);
    }
}
