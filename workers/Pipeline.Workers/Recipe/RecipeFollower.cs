using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Durable;
using Pipeline.Durable.Client;
using Pipeline.Durable.Storage;
using Pipeline.Workers.Cli;
using Pipeline.Workflows.Contracts;
using Pipeline.Workflows.PostTraining;

namespace Pipeline.Workers.Recipe;

/// <summary>
/// The progress display of a recipe run (<c>pipeline demo</c>, <c>pipeline run --follow</c>): one line when the stage
/// changes, and while a training activity runs, its step, loss, tokens/s and ETA from its heartbeat every
/// <see cref="ProgressEvery"/>; a retried attempt is shown with why the last one failed. Plain lines, so it reads the
/// same in a terminal and in a CI log. It reads the store only: the run goes on whether anyone watches.
/// </summary>
public sealed class RecipeFollower(WorkflowClient client, TextWriter output)
{
    public TimeSpan ProgressEvery { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan PollEvery { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Follows <paramref name="workflowId"/> (and the child that makes its base model, <paramref name="childIds"/>)
    /// until it closes; returns its final state.</summary>
    public async Task<RunInfo> FollowAsync(string workflowId, IReadOnlyList<string> childIds, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        string? stage = null;
        var lastProgress = TimeSpan.MinValue;
        var attempts = new Dictionary<string, int>(StringComparer.Ordinal);
        var handle = client.GetWorkflowHandle(workflowId);
        var historySeen = -1L;
        while (true)
        {
            var described = await handle.DescribeAsync(ct);
            if (!described.Run.IsOpen) return described.Run;
            // The stage is workflow state: it can only change with the history, so the query (a replay) runs only then.
            var now = stage;
            if (described.Run.LastEventId != historySeen && await QueryStageAsync(handle, ct) is { } queried)
            {
                historySeen = described.Run.LastEventId;
                now = queried;
            }
            if (now != stage && now is not null)
            {
                output.WriteLine($"[{Durations.Format(clock.Elapsed)}] ▶ {now}");
                stage = now;
                lastProgress = clock.Elapsed;
            }
            var pending = described.PendingActivities.ToList();
            foreach (var child in childIds)
            {
                if (await TryDescribeAsync(client.GetWorkflowHandle(child), ct) is { Run.IsOpen: true } c) pending.AddRange(c.PendingActivities);
            }
            foreach (var a in pending.Where(a => a.Attempt > 1))
            {
                var key = $"{a.ActivityType}#{a.Seq}";
                if (attempts.GetValueOrDefault(key) == a.Attempt) continue;
                attempts[key] = a.Attempt;
                output.WriteLine($"[{Durations.Format(clock.Elapsed)}]   {a.ActivityType}: attempt {a.Attempt}{(a.LastFailure is { } f ? $" after: {f.Message}" : "")}");
            }
            if (clock.Elapsed - lastProgress >= ProgressEvery && pending.Select(Progress).OfType<TrainingProgressHeartbeat>().FirstOrDefault() is { } p)
            {
                output.WriteLine($"[{Durations.Format(clock.Elapsed)}]   {Describe(p)}");
                lastProgress = clock.Elapsed;
            }
            await Task.Delay(PollEvery, ct);
        }
    }

    /// <summary>"sft step 120/560 (21%) · loss 0.842 · 12.3k tok/s · ETA 1m05s".</summary>
    public static string Describe(TrainingProgressHeartbeat p) => string.Create(CultureInfo.InvariantCulture,
        $"{p.Stage} step {p.Step}/{p.MaxSteps} ({100.0 * p.Step / Math.Max(1, p.MaxSteps):F0}%) · loss {p.Loss:F3} · {p.TokensPerSecond / 1000:F1}k tok/s · ETA {Durations.Format(p.EtaSeconds)}");

    /// <summary>The training progress in a pending activity's last heartbeat (its second detail), if any.</summary>
    public static TrainingProgressHeartbeat? Progress(PendingActivity activity)
    {
        if (activity.HeartbeatDetails is not { } json) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 1 && root[1].ValueKind == JsonValueKind.Object
                ? root[1].Deserialize<TrainingProgressHeartbeat>(DataConverter.Options)
                : null;
        }
        catch (JsonException)
        {
            return null;   // another activity's heartbeat shape: no progress to show
        }
    }

    private static async Task<string?> QueryStageAsync(WorkflowHandle handle, CancellationToken ct)
    {
        try
        {
            return await handle.QueryAsync((PostTrainingWorkflow w) => w.CurrentStage, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;   // no workflow task has run yet, or the run just closed: the next poll tells
        }
    }

    private static async Task<WorkflowDescription?> TryDescribeAsync(WorkflowHandle handle, CancellationToken ct)
    {
        try
        {
            return await handle.DescribeAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;   // the child does not exist (the base model was already registered)
        }
    }
}
