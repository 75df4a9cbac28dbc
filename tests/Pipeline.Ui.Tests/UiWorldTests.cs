using Pipeline.Durable.History;
using Pipeline.Durable.Storage;
using Pipeline.Ui.Tests.Support;
using Pipeline.Workflows.Contracts;
using Pipeline.Workflows.PostTraining;
using Xunit.Abstractions;

namespace Pipeline.Ui.Tests;

/// <summary>The world the UI tests look at really holds what they assume: one run per status.</summary>
[Collection(UiCollection.Name)]
public sealed class UiWorldTests(UiWorld ui, ITestOutputHelper output)
{
    private Task<RunInfo> RunAsync(RunRef run) => ui.World.Env.Client.GetWorkflowHandle(run.WorkflowId, run.RunId).DescribeRunAsync();

    [Fact]
    public async Task Completed_TinyRecipe_CompletedAndNotBlocked()
    {
        output.WriteLine($"UiWorld built in {ui.BuildTime.TotalSeconds:F1} s");

        Assert.Equal(RunStatus.Completed, (await RunAsync(ui.Completed)).Status);
        Assert.Contains(ui.CompletedResult.Status, new[] { PostTrainingStatus.Promoted, PostTrainingStatus.RolledBack });
    }

    [Fact]
    public async Task Blocked_ShippedPostSftGate_CompletedWithBlockedResult()
    {
        Assert.Equal(RunStatus.Completed, (await RunAsync(ui.Blocked)).Status);
        Assert.Equal(PostTrainingStatus.Blocked, ui.BlockedResult.Status);
    }

    [Fact]
    public async Task Failed_FlakyUpload_FailedWithTheNonRetryableFailure()
    {
        var run = await RunAsync(ui.Failed);

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Contains(FlakyUploadActivities.BucketMissing, run.Failure?.ToString());
    }

    [Fact]
    public async Task Failed_FlakyUpload_HistoryRecordsTheFirstAttemptsFailureAndItsRetry()
    {
        var history = await ui.World.Env.Client.Store.GetHistoryAsync(ui.Failed.RunId);

        var attempt = Assert.Single(history, e => e.EventType == EventType.ActivityTaskAttemptFailed);
        Assert.Equal(1, attempt.Attempt);
        Assert.Equal(FlakyUploadActivities.ConnectionRefused, attempt.Failure?.Message);
        Assert.NotNull(attempt.NextAttemptAt);
        Assert.Contains(history, e => e.EventType == EventType.ActivityTaskFailed && e.Attempt == 2);
    }

    [Fact]
    public async Task Running_LongAbWindow_StillOpenInTheAbRolloutStage()
    {
        Assert.Equal(RunStatus.Running, (await RunAsync(ui.Running)).Status);
        var stage = await ui.World.Env.Client.GetWorkflowHandle(ui.Running.WorkflowId, ui.Running.RunId)
            .QueryAsync((PostTrainingWorkflow w) => w.CurrentStage);
        Assert.Equal("ab_rollout", stage);
    }
}
