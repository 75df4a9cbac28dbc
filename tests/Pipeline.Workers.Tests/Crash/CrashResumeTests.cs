using Pipeline.Durable;
using Pipeline.Durable.Client;
using Pipeline.Durable.History;
using Pipeline.Durable.Samples;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Tests.Support;
using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Crash;

/// <summary>kill -9 a real server process in the middle of the work; a new process on the same store finishes the
/// run. Finished activities ran exactly once (the log is the side-effect counter), the interrupted one was retried,
/// and a pending durable timer fires at its original time.</summary>
public sealed class CrashResumeTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "crash-" + Guid.NewGuid().ToString("N"));

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
        return Task.CompletedTask;
    }

    private async Task<(string Uri, IWorkflowStore Store)> StoreAsync(string kind)
    {
        if (kind == "sqlite")
        {
            var path = Path.Combine(_dir, "store.db");
            return ("sqlite:" + path, new SqliteWorkflowStore(path));
        }
        var cs = await PostgresServer.CreateDatabaseAsync("crash");
        return (cs, new PostgresWorkflowStore(cs));
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Server_KilledMidActivity_NewProcessFinishesAndCompletedStepsRanOnce(string kind)
    {
        var (uri, store) = await StoreAsync(kind);
        await using var _ = store;
        await store.InitializeAsync();
        var log = Path.Combine(_dir, "steps.log");
        var client = new WorkflowClient(store);
        var first = PipelineProcess.Start(Path.Combine(_dir, "server1.log"), "server", "--store", uri, "--set", "Serving:Port=0", "--set", "Ui:Port=0");
        try
        {
            var handle = await client.StartWorkflowAsync((SleepyStepsWorkflow w) => w.RunAsync(new SleepyStepsInput(4, 1.5, log, 0, 1)),
                new WorkflowOptions { Id = "crash-activity" });
            // Kill while step 3 is running: steps 1-2 logged, step 3 started and heartbeating.
            await Eventually.TrueAsync(async () => Lines(log).Length == 2 && await Step3RunningAsync(store, handle.RunId!),
                TimeSpan.FromSeconds(60), "step 3 running after steps 1-2 finished\n" + first.Output());
            await first.KillAsync();

            await using var second = PipelineProcess.Start(Path.Combine(_dir, "server2.log"), "server", "--store", uri, "--set", "Serving:Port=0", "--set", "Ui:Port=0");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            var result = await handle.GetResultAsync<SleepyStepsResult>(ct: timeout.Token);

            Assert.Equal(4, result!.StepsCompleted);
            Assert.Equal(["step 1", "step 2", "step 3", "step 4"], Lines(log));
            var history = await store.GetHistoryAsync(handle.RunId!);
            var attempts = history.Where(e => e.EventType == EventType.ActivityTaskStarted).GroupBy(e => e.Seq!.Value)
                .ToDictionary(g => g.Key, g => g.Max(e => e.Attempt!.Value));
            Assert.Equal(1, attempts[1]);
            Assert.Equal(1, attempts[2]);
            Assert.True(attempts[3] >= 2, "the interrupted step was retried");
            var lost = history.First(e => e.EventType == EventType.ActivityTaskAttemptFailed && e.Seq == 3);
            Assert.Equal("Heartbeat", lost.Failure!.TimeoutType);
            Assert.Equal(1, history.Count(e => e.EventType == EventType.ActivityTaskCompleted && e.Seq == 3));
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Server_KilledWhileTimerPending_TimerFiresAtItsOriginalTime(string kind)
    {
        var (uri, store) = await StoreAsync(kind);
        await using var _ = store;
        await store.InitializeAsync();
        var log = Path.Combine(_dir, "timer.log");
        var client = new WorkflowClient(store);
        var first = PipelineProcess.Start(Path.Combine(_dir, "server1.log"), "server", "--store", uri, "--set", "Serving:Port=0", "--set", "Ui:Port=0");
        try
        {
            var handle = await client.StartWorkflowAsync((SleepyStepsWorkflow w) => w.RunAsync(new SleepyStepsInput(2, 0.1, log, 4, 1)),
                new WorkflowOptions { Id = "crash-timer" });
            await Eventually.TrueAsync(async () => (await store.GetHistoryAsync(handle.RunId!)).Any(e => e.EventType == EventType.TimerStarted),
                TimeSpan.FromSeconds(60), "the timer between the steps started\n" + first.Output());
            await first.KillAsync();

            await using var second = PipelineProcess.Start(Path.Combine(_dir, "server2.log"), "server", "--store", uri, "--set", "Serving:Port=0", "--set", "Ui:Port=0");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var result = await handle.GetResultAsync<SleepyStepsResult>(ct: timeout.Token);

            Assert.Equal(2, result!.StepsCompleted);
            Assert.Equal(["step 1", "step 2"], Lines(log));
            var history = await store.GetHistoryAsync(handle.RunId!);
            var started = history.Single(e => e.EventType == EventType.TimerStarted);
            var fired = history.Single(e => e.EventType == EventType.TimerFired);
            Assert.True(fired.Timestamp >= started.Time!.Value, "fired no earlier than its fire time");
            Assert.True(fired.Timestamp - started.Time!.Value < TimeSpan.FromSeconds(3),
                $"fired {fired.Timestamp - started.Time.Value} after its fire time: the restart did not restart the timer");
            Assert.Equal(1, history.Count(e => e.EventType == EventType.ActivityTaskStarted && e.Seq == 1));
        }
        finally
        {
            await first.DisposeAsync();
        }
    }

    private static async Task<bool> Step3RunningAsync(IWorkflowStore store, string runId) =>
        (await store.GetPendingActivitiesAsync(runId)).Any(a => a.Seq == 3 && a.State == "started" && a.LastHeartbeatAt is not null);

    private static string[] Lines(string path) => File.Exists(path) ? File.ReadAllLines(path) : [];
}
