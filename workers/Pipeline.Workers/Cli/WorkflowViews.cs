using System.Text.Json;
using Pipeline.Durable;
using Pipeline.Durable.Client;
using Pipeline.Durable.Storage;

namespace Pipeline.Workers.Cli;

/// <summary>The JSON shapes `workflow list/show --json` print. They are the CLI's contract with scripts: keys are
/// camelCase, <c>status</c> is at the top level with the engine's values (running, completed, failed, cancelled,
/// terminated, continued_as_new), and payloads nest as JSON rather than escaped strings.</summary>
public static class WorkflowViews
{
    public sealed record RunSummary(string Id, string RunId, string Type, string Status, DateTimeOffset Started, DateTimeOffset? Closed);

    public sealed record RunDetail(
        string Id, string RunId, string Type, string Status, string TaskQueue, DateTimeOffset Started, DateTimeOffset? Closed,
        JsonElement? Input, JsonElement? Result, Failure? Failure,
        string? ParentId, string? ParentRunId, string? ContinuedFromRunId, string? ContinuedToRunId,
        IReadOnlyDictionary<string, string>? Memo, long LastEventId, IReadOnlyList<PendingActivityView> PendingActivities);

    /// <param name="State">scheduled | started | backoff</param>
    public sealed record PendingActivityView(
        int Seq, string ActivityType, string TaskQueue, int Attempt, string State, DateTimeOffset ScheduledAt, DateTimeOffset? StartedAt,
        string? Identity, DateTimeOffset? LastHeartbeatAt, JsonElement? HeartbeatDetails, Failure? LastFailure,
        DateTimeOffset? NextAttemptAt, bool CancelRequested);

    public static RunSummary Summary(RunInfo r) => new(r.WorkflowId, r.RunId, r.WorkflowType, r.Status, r.StartedAt, r.ClosedAt);

    public static RunDetail Detail(WorkflowDescription d)
    {
        var r = d.Run;
        return new RunDetail(r.WorkflowId, r.RunId, r.WorkflowType, r.Status, r.TaskQueue, r.StartedAt, r.ClosedAt,
            SingleArgument(r.Input), CliOutput.ParseJson(r.Result), r.Failure,
            r.ParentWorkflowId, r.ParentRunId, r.ContinuedFromRunId, r.ContinuedToRunId, r.Memo, r.LastEventId,
            d.PendingActivities.Select(a => new PendingActivityView(a.Seq, a.ActivityType, a.TaskQueue, a.Attempt, a.State,
                a.ScheduledAt, a.StartedAt, a.Identity, a.LastHeartbeatAt, CliOutput.ParseJson(a.HeartbeatDetails), a.LastFailure,
                a.NextAttemptAt, a.CancelRequested)).ToList());
    }

    /// <summary>Runs store their input as the engine's argument array; a workflow takes at most one argument, so
    /// show that argument: the same JSON `workflow start --input` took.</summary>
    public static JsonElement? SingleArgument(string? argsJson) => CliOutput.ParseJson(argsJson) switch
    {
        { ValueKind: JsonValueKind.Array } a when a.GetArrayLength() == 0 => null,
        { ValueKind: JsonValueKind.Array } a when a.GetArrayLength() == 1 => a[0],
        var other => other,
    };
}
