using System.Diagnostics;
using Pipeline.Durable;
using Pipeline.Durable.Client;
using Pipeline.Tests.Shared;
using Pipeline.Workflows.Contracts;
using Pipeline.Workflows.PostTraining;

namespace Pipeline.Ui.Tests.Support;

/// <summary>
/// The audit UI over one <see cref="RecipeWorld"/> holding four real runs, one per status the UI must show:
/// a completed recipe (v1), a recipe blocked at the SFT gate (v2), an upload that failed after a retry, and a recipe
/// still open in its A/B window (v3). The open one starts last and is never awaited: awaiting a result skips time,
/// which would close its window.
/// </summary>
public sealed class UiWorld : IAsyncLifetime
{
    public const string Token = "test-token";
    public const string Experiment = "recipe-tests";   // the experiment RecipeWorld's TrackingRuns writes to

    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(4);

    public RecipeWorld World { get; private set; } = null!;
    public UiHost Ui { get; private set; } = null!;

    /// <summary>A client on <see cref="UiHost.Url"/>, without the token.</summary>
    public HttpClient Http { get; private set; } = null!;

    public RunRef Completed { get; private set; } = null!;
    public RunRef Blocked { get; private set; } = null!;

    /// <summary>The tiny recipe on its DPO branch (v5): a preference set with QC counts.</summary>
    public RunRef Dpo { get; private set; } = null!;
    public RunRef Failed { get; private set; } = null!;
    public RunRef Running { get; private set; } = null!;

    /// <summary>A second run held in its A/B window, for the page's action test to abort (the others keep seeing
    /// <see cref="Running"/> open whatever the order of the tests).</summary>
    public RunRef ToAbort { get; private set; } = null!;

    /// <summary>Runs no worker will ever pick up (their queue has none), for the cancel and terminate actions.</summary>
    public RunRef IdleToCancel { get; private set; } = null!;

    public RunRef IdleToTerminate { get; private set; } = null!;

    public RunRef IdleToRefresh { get; private set; } = null!;

    /// <summary>A run whose one activity is running and heartbeating its progress.</summary>
    public RunRef Watching { get; private set; } = null!;

    /// <summary>The first run of a continue-as-new chain (closed as continued_as_new) and the run it continued as.</summary>
    public RunRef SweepFirst { get; private set; } = null!;

    public RunRef SweepSecond { get; private set; } = null!;
    public PostTrainingResult CompletedResult { get; private set; } = null!;
    public PostTrainingResult BlockedResult { get; private set; } = null!;

    /// <summary>How long the four runs and the host took to set up.</summary>
    public TimeSpan BuildTime { get; private set; }

    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        World = await RecipeWorld.StartAsync([typeof(FlakyUploadWorkflow), typeof(NightlySweepWorkflow), typeof(ShardWatchWorkflow)]);
        World.Env.NewWorker(FlakyUploadWorkflow.TaskQueue, w => w.AddWorkflow<FlakyUploadWorkflow>().AddWorkflow<NightlySweepWorkflow>()
            .AddActivities(new FlakyUploadActivities()));

        (Completed, CompletedResult) = await RunRecipeAsync("v1", RecipeWorld.TinyRecipe());
        (Blocked, BlockedResult) = await RunRecipeAsync("v2", RecipeWorld.TinyRecipe(sftGate: "post-sft"));
        (Dpo, _) = await RunRecipeAsync("v5", RecipeWorld.TinyDpoRecipe());
        Failed = await RunFlakyUploadAsync();
        (SweepFirst, SweepSecond) = await RunSweepAsync();
        Running = await StartLongWindowAsync();
        ToAbort = await StartLongWindowAsync("v4");
        // Last: a task no worker takes keeps the time-skipping environment busy, so nothing awaited may follow.
        IdleToCancel = await StartIdleAsync("upload/idle-cancel");
        IdleToTerminate = await StartIdleAsync("upload/idle-terminate");
        IdleToRefresh = await StartIdleAsync("upload/idle-refresh");
        Watching = await StartWatchAsync();

        Ui = await UiHost.StartAsync(new UiOptions { Token = Token, Experiments = [Experiment], RefreshInterval = TimeSpan.FromSeconds(1) },
            new UiSources(World.Env.Client, World.Store, World.Tracking));
        Http = new HttpClient { BaseAddress = Ui.Url };
        BuildTime = watch.Elapsed;
    }

    private async Task<(RunRef, PostTrainingResult)> RunRecipeAsync(string version, RecipeConfig recipe)
    {
        var handle = await StartRecipeAsync(version, recipe);
        using var timeout = new CancellationTokenSource(RunTimeout);
        var result = await handle.GetResultAsync(timeout.Token)
            ?? throw new InvalidOperationException($"{handle.Id} completed without a result");
        return (await RefOfAsync(handle), result);
    }

    private async Task<WorkflowHandle<PostTrainingResult>> StartRecipeAsync(string version, RecipeConfig recipe)
    {
        var input = new PostTrainingInput(World.Dataset with { Version = version }, "arith-demo", "arith-demo-base@pretrained", recipe);
        return await World.Env.Client.StartWorkflowAsync((PostTrainingWorkflow w) => w.RunAsync(input),
            new WorkflowOptions
            {
                Id = PostTrainingInput.WorkflowIdFor("arith-demo", version), TaskQueue = RecipeWorld.WorkflowQueue,
                // As the recipe launcher starts it: the memo is what the list's dataset filter reads.
                Memo = new Dictionary<string, string> { ["dataset"] = $"arith-demo@{version}", ["model"] = "arith-demo" },
            });
    }

    private async Task<RunRef> RunFlakyUploadAsync()
    {
        var handle = await World.Env.Client.StartWorkflowAsync((FlakyUploadWorkflow w) => w.RunAsync(new FlakyUploadInput("models/arith-demo/v1.tar")),
            new WorkflowOptions { Id = "upload/arith-demo@v1", TaskQueue = FlakyUploadWorkflow.TaskQueue });
        using var timeout = new CancellationTokenSource(RunTimeout);
        await Assert.ThrowsAsync<WorkflowFailedException>(() => handle.GetResultAsync(timeout.Token));
        return await RefOfAsync(handle);
    }

    /// <summary>A run (v3 by default) with an A/B window no traffic can close (no simulated requests, 10 000 feedbacks per variant needed,
    /// 30 days long): started, then polled until it reaches the window.</summary>
    private async Task<RunRef> StartLongWindowAsync(string version = "v3")
    {
        var tiny = RecipeWorld.TinyRecipe();
        var recipe = tiny with
        {
            Rollout = tiny.Rollout with { SimulatedRequests = 0, MinFeedbackPerVariant = 10_000, MaxDuration = TimeSpan.FromDays(30) },
        };
        var handle = await StartRecipeAsync(version, recipe);
        var deadline = Stopwatch.StartNew();
        string? stage;
        while ((stage = await handle.QueryAsync((PostTrainingWorkflow w) => w.CurrentStage)) != "ab_rollout")
        {
            var run = await handle.DescribeRunAsync();
            if (!run.IsOpen) throw new InvalidOperationException($"{run.WorkflowId} closed ({run.Status}) before its A/B window: {run.Failure}");
            if (deadline.Elapsed > TimeSpan.FromMinutes(3)) throw new TimeoutException($"{handle.Id} still in stage '{stage}' after 3 min");
            await Task.Delay(200);
        }
        return await RefOfAsync(handle);
    }

    private async Task<(RunRef First, RunRef Second)> RunSweepAsync()
    {
        var handle = await World.Env.Client.StartWorkflowAsync((NightlySweepWorkflow w) => w.RunAsync(0),
            new WorkflowOptions { Id = "sweep/nightly", TaskQueue = FlakyUploadWorkflow.TaskQueue });
        using var timeout = new CancellationTokenSource(RunTimeout);
        await World.Env.Client.GetWorkflowHandle<int>(handle.Id).GetResultAsync(timeout.Token);
        var first = await World.Env.Client.Store.GetRunAsync(handle.Id, handle.RunId)
            ?? throw new InvalidOperationException("the sweep's first run is gone");
        return (new RunRef(first.WorkflowId, first.RunId), new RunRef(first.WorkflowId, first.ContinuedToRunId!));
    }

    private async Task<RunRef> StartWatchAsync()
    {
        World.Env.NewWorker(ShardWatchWorkflow.TaskQueue, w => w.AddWorkflow<ShardWatchWorkflow>().AddActivities(new ShardWatchActivities()));
        var handle = await World.Env.Client.StartWorkflowAsync((ShardWatchWorkflow w) => w.RunAsync("shard-7"),
            new WorkflowOptions { Id = "watch/shard-7", TaskQueue = ShardWatchWorkflow.TaskQueue });
        var deadline = Stopwatch.StartNew();
        while ((await World.Env.Client.Store.GetPendingActivitiesAsync(handle.RunId!)) is not [{ HeartbeatDetails: not null }])
        {
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("the watch activity never heartbeated");
            await Task.Delay(100);
        }
        return await RefOfAsync(handle);
    }

    private async Task<RunRef> StartIdleAsync(string id)
    {
        var handle = await World.Env.Client.StartWorkflowAsync((FlakyUploadWorkflow w) => w.RunAsync(new FlakyUploadInput("models/idle.tar")),
            new WorkflowOptions { Id = id, TaskQueue = "no-worker-listens" });
        return await RefOfAsync(handle);
    }

    private static async Task<RunRef> RefOfAsync(WorkflowHandle handle)
    {
        var run = await handle.DescribeRunAsync();
        return new RunRef(run.WorkflowId, run.RunId);
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (Ui is not null) await Ui.DisposeAsync();
        if (World is not null) await World.DisposeAsync();
    }
}
