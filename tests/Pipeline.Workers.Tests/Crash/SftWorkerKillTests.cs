using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Durable;
using Pipeline.Durable.Client;
using Pipeline.Durable.History;
using Pipeline.Durable.Storage;
using Pipeline.Workers.Tests.Support;
using Pipeline.Workflows.Contracts;
using Xunit.Abstractions;

namespace Pipeline.Workers.Tests.Crash;

/// <summary>The recipe as it runs in production, in real processes: a server (workflows, eval, the consumer that starts
/// the recipe) and a separate training worker, SIGKILLed in the middle of SFT. The SFT attempt it held times out on its
/// heartbeat, a new worker takes the retry and resumes from the last checkpoint the dead one stored and heartbeated, so
/// at most one checkpoint interval of steps is lost and the run still completes.</summary>
public sealed class SftWorkerKillTests(ITestOutputHelper output) : IAsyncLifetime
{
    // Long enough that the kill lands mid-training on a quiet machine too: the first heartbeat past a checkpoint comes
    // about 4 s in (5 s heartbeat timeout, throttled to 0.8×), and on CI's quiet 2 cores 400 steps were already done by
    // then (the worker finished before the kill). 1600 leaves ~12 s of steps after that beat there, more when loaded.
    private const int SftMaxSteps = 1600;
    private const int SftSaveSteps = 25;
    private const string WorkflowId = "post-train/arith-demo@v1";

    /// <summary>ITrainingActivities.SftAsync's activity type: the method name without "Async".</summary>
    private const string SftActivity = "Sft";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sft-kill-" + Guid.NewGuid().ToString("N"));

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

    [Fact]
    public async Task SftAsync_WorkerKilledMidTraining_NewWorkerResumesFromLastCheckpoint()
    {
        File.WriteAllText(Path.Combine(_dir, "recipe.json"), RecipeJson());
        await RunOkAsync("generate.log", "dataset", "generate", "--version", "v1", "--corpus-lines", "3000", "--out", "data/v1");
        await RunOkAsync("publish.log", "dataset", "publish", "data/v1");

        await using var server = Start("server.log", "server", "--queue", "default", "--queue", "eval", "--set", "Serving:Port=0", "--set", "Ui:Port=0", "--set", "Recipe:File=recipe.json");
        var first = Start("worker1.log", "worker", "--queue", "cpu", "--set", "Recipe:File=recipe.json");
        await using var _ = first;
        string Logs() => $"\n--- server ---\n{server.Output()}\n--- worker 1 ---\n{first.Output()}";

        // The store the processes share; the test only reads it.
        await using var store = new SqliteWorkflowStore(Path.Combine(_dir, ".pipeline", "pipeline.db"));
        await store.InitializeAsync();
        var client = new WorkflowClient(store);
        var handle = client.GetWorkflowHandle(WorkflowId);

        // Kill once SFT has stored and heartbeated a checkpoint and trained past it.
        WorkflowDescription? seen = null;
        var (sft, checkpoint, progress) = await PollAsync(async () => SftBeat(seen = await TryDescribeAsync(handle)), TimeSpan.FromMinutes(2),
            () => $"SftAsync heartbeating a stored checkpoint and a later step; last seen: {Pending(seen)}{Logs()}");
        await first.KillAsync();

        await using var second = Start("worker2.log", "worker", "--queue", "cpu", "--set", "Recipe:File=recipe.json");
        string AllLogs() => Logs() + $"\n--- worker 2 ---\n{second.Output()}";
        var result = await ResultAsync(handle, TimeSpan.FromMinutes(4), AllLogs);

        var stage = result.Stages.LastOrDefault(s => s.Name == "sft");
        Assert.True(stage is { Status: "completed" }, $"the sft stage completed: {Describe(result)}{AllLogs()}");
        Assert.Equal(SftMaxSteps, stage!.Metrics["steps"]);
        var resumed = (long)stage.Metrics["resumed_from_step"];
        output.WriteLine($"killed at step {progress.Step} (checkpoint {checkpoint.Step} heartbeated), resumed from step {resumed}; sft took {stage.Seconds:F1} s");
        Assert.True(resumed >= checkpoint.Step,
            $"resumed from step {resumed}, not from the checkpoint at step {checkpoint.Step} heartbeated before the kill (or a later one){AllLogs()}");
        Assert.True(progress.Step - resumed <= SftSaveSteps,
            $"killed at step {progress.Step}, resumed from {resumed}: more than one checkpoint interval ({SftSaveSteps}) lost{AllLogs()}");

        var history = await store.GetHistoryAsync((await handle.DescribeRunAsync()).RunId);
        var attempts = history.Where(e => e.EventType == EventType.ActivityTaskStarted && e.Seq == sft.Seq).Select(e => e.Attempt ?? 0).ToList();
        Assert.True(attempts.Count > 0 && attempts.Max() >= 2, $"{SftActivity} (seq {sft.Seq}) was retried after the kill: attempts [{string.Join(", ", attempts)}]{AllLogs()}");
        var lost = history.FirstOrDefault(e => e.EventType == EventType.ActivityTaskAttemptFailed && e.Seq == sft.Seq);
        Assert.True(lost is { Attempt: 1, Failure.TimeoutType: "Heartbeat" },
            $"the killed worker's attempt 1 failed on its heartbeat timeout, got attempt {lost?.Attempt}: {lost?.Failure?.TimeoutType} {lost?.Failure?.Message}{AllLogs()}");
    }

    /// <summary>The SFT activity with its last stored checkpoint (detail 0) and a progress step past it (detail 1), or null.</summary>
    private static (PendingActivity Sft, TrainingCheckpointHeartbeat Checkpoint, TrainingProgressHeartbeat Progress)? SftBeat(WorkflowDescription? described)
    {
        var sft = described?.PendingActivities.FirstOrDefault(a => a.ActivityType == SftActivity && a.State == "started" && a.HeartbeatDetails is not null);
        if (sft is null) return null;
        using var doc = JsonDocument.Parse(sft.HeartbeatDetails!);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() < 2 || root[0].ValueKind != JsonValueKind.Object) return null;
        var checkpoint = root[0].Deserialize<TrainingCheckpointHeartbeat>(DataConverter.Options)!;
        var progress = root[1].Deserialize<TrainingProgressHeartbeat>(DataConverter.Options)!;
        return progress.Step > checkpoint.Step ? (sft, checkpoint, progress) : null;
    }

    private static async Task<WorkflowDescription?> TryDescribeAsync(WorkflowHandle handle)
    {
        try
        {
            return await handle.DescribeAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;   // the consumer has not started the run yet
        }
    }

    private static async Task<PostTrainingResult> ResultAsync(WorkflowHandle handle, TimeSpan timeout, Func<string> logs)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await handle.GetResultAsync<PostTrainingResult>(ct: cts.Token) ?? throw new InvalidOperationException("the run returned null");
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"{WorkflowId} did not finish within {timeout}{logs()}");
            throw;
        }
        catch (WorkflowFailedException e)
        {
            Assert.Fail($"{WorkflowId} failed: {e.Message}{logs()}");
            throw;
        }
    }

    /// <summary>Polls every 250 ms until <paramref name="probe"/> returns a value; fails with <paramref name="why"/>
    /// (evaluated then, so it can quote the logs as they are) after <paramref name="timeout"/>.</summary>
    private static async Task<T> PollAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, Func<string> why) where T : struct
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value) return value;
            if (clock.Elapsed > timeout) Assert.Fail($"Gave up after {timeout.TotalSeconds:F0} s waiting for: {why()}");
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    private static string Pending(WorkflowDescription? d) => d is null ? "no run yet"
        : $"{d.Run.Status}, pending [" + string.Join("; ", d.PendingActivities.Select(a => $"{a.ActivityType}#{a.Seq} {a.State} attempt {a.Attempt}: {a.HeartbeatDetails}")) + "]";

    private static string Describe(PostTrainingResult r) =>
        $"{r.Status}: {r.Reason}; stages " + string.Join(", ", r.Stages.Select(s => $"{s.Name}={s.Status}"));

    private async Task RunOkAsync(string log, params string[] args)
    {
        var (code, output) = await PipelineProcess.RunAsync(Path.Combine(_dir, log), TimeSpan.FromMinutes(2), _dir, CleanEnvironment(), args);
        Assert.True(code == 0, $"pipeline {string.Join(' ', args)} exited {code}:\n{output}");
    }

    private PipelineProcess Start(string log, params string[] args) => PipelineProcess.Start(Path.Combine(_dir, log), _dir, CleanEnvironment(), args);

    /// <summary>The children see no PIPELINE_* settings of the test run: the embedded profile under ./.pipeline.</summary>
    private static Dictionary<string, string?> CleanEnvironment()
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            var name = (string)e.Key;
            if (name.StartsWith("PIPELINE", StringComparison.OrdinalIgnoreCase)) env[name] = null;
        }
        return env;
    }

    /// <summary>A tiny recipe whose gates always pass, with an SFT long enough to kill in the middle (15–60 s).</summary>
    private static string RecipeJson()
    {
        var policies = Path.Combine(RepoRoot(), "tests", "Shared", "fixtures", "policies");
        var plumbing = JsonSerializer.Serialize(Path.Combine(policies, "test-plumbing.yaml"));
        var plumbingBase = JsonSerializer.Serialize(Path.Combine(policies, "test-plumbing-base.yaml"));
        return string.Create(CultureInfo.InvariantCulture, $$"""
            {
              // SFT: many short steps, a checkpoint every {{SftSaveSteps}}
              "sft": { "loraR": 4, "loraAlpha": 8, "maxSteps": {{SftMaxSteps}}, "saveSteps": {{SftSaveSteps}}, "warmupSteps": 1, "batchSize": 8 },
              "preference": { "loraR": 4, "loraAlpha": 8, "maxSteps": 2, "batchSize": 2, "numGenerations": 2, "maxCompletionLength": 8, "saveSteps": 1 },
              "eval": { "limit": 4, "bootstrapSamples": 50, "sftGate": {{plumbing}}, "sftGateVsChampion": {{plumbing}}, "preferenceGate": {{plumbing}}, "deployGate": {{plumbing}} },
              "rollout": { "challengerShare": 0.5, "minFeedbackPerVariant": 5, "checkInterval": "00:00:02", "maxDuration": "00:02:00", "simulatedRequests": 16, "simulatedUsers": 8 },
              "pretrain": { "hiddenSize": 32, "layers": 1, "heads": 2, "intermediateSize": 64, "maxSteps": 6, "warmupSteps": 1, "batchSize": 4, "seqLen": 32, "saveSteps": 3, "gate": {{plumbingBase}} },
              "trainingHeartbeatTimeout": "00:00:05",
            }
            """);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"no Pipeline.sln above {AppContext.BaseDirectory}");
    }
}
