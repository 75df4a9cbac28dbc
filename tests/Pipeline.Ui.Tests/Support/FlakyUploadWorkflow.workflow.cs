using Pipeline.Durable;

namespace Pipeline.Ui.Tests.Support;

/// <summary>One upload activity with three attempts allowed and a short backoff: the UI's failed run with a retry.</summary>
[Workflow]
public sealed class FlakyUploadWorkflow
{
    public const string TaskQueue = "flaky";

    [WorkflowRun]
    public async Task<FlakyUploadResult> RunAsync(FlakyUploadInput input) =>
        await Workflow.ExecuteActivityAsync((FlakyUploadActivities a) => a.UploadAsync(input), new ActivityOptions
        {
            StartToCloseTimeout = TimeSpan.FromSeconds(30),
            RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromSeconds(2), MaximumAttempts = 3 },
        });
}
