using Pipeline.Durable.History;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pipeline.Workers.Cli;

/// <summary>The human views of `workflow list`, `show` and `history`.</summary>
public static class WorkflowTables
{
    public static IRenderable Runs(IReadOnlyList<WorkflowViews.RunSummary> runs)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("ID", "RUN ID", "TYPE", "STATUS", "STARTED", "CLOSED");
        foreach (var r in runs)
            table.AddRow(new Text(r.Id), new Text(r.RunId), new Text(r.Type), CliOutput.Status(r.Status),
                new Text(CliOutput.Time(r.Started)), new Text(CliOutput.Time(r.Closed)));
        if (runs.Count == 0) table.Caption("no workflows match");
        return table;
    }

    public static IRenderable Detail(WorkflowViews.RunDetail d)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap().PadRight(2)).AddColumn();
        void Row(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value)) grid.AddRow(new Text(key, new Style(decoration: Decoration.Bold)), new Text(value));
        }
        Row("Workflow", d.Id);
        Row("Run", d.RunId);
        Row("Type", d.Type);
        grid.AddRow(new Text("Status", new Style(decoration: Decoration.Bold)), CliOutput.Status(d.Status));
        Row("Queue", d.TaskQueue);
        Row("Started", CliOutput.Time(d.Started));
        Row("Closed", CliOutput.Time(d.Closed));
        Row("Input", d.Input?.GetRawText());
        Row("Result", d.Result?.GetRawText());
        Row("Failure", d.Failure?.ToString());
        Row("Parent", d.ParentId is null ? null : $"{d.ParentId} (run {d.ParentRunId})");
        Row("Continued from", d.ContinuedFromRunId);
        Row("Continued to", d.ContinuedToRunId);
        Row("Memo", d.Memo is null ? null : string.Join(", ", d.Memo.Select(kv => $"{kv.Key}={kv.Value}")));
        Row("Events", d.LastEventId.ToString());
        if (d.PendingActivities.Count == 0) return grid;
        var table = new Table().Border(TableBorder.Simple).Title("pending activities")
            .AddColumns("SEQ", "ACTIVITY", "ATTEMPT", "STATE", "WORKER", "LAST HEARTBEAT", "LAST FAILURE");
        foreach (var a in d.PendingActivities)
            table.AddTextRow(a.Seq.ToString(), a.ActivityType, a.Attempt.ToString(), a.State, a.Identity,
                a.LastHeartbeatAt is null ? "" : $"{CliOutput.Clock(a.LastHeartbeatAt)} {CliOutput.Truncate(a.HeartbeatDetails?.GetRawText(), 30)}",
                CliOutput.Truncate(a.LastFailure?.ToString(), 60));
        return new Rows(grid, table);
    }

    public static IRenderable History(IReadOnlyList<HistoryEvent> events)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumns("ID", "TIME", "TYPE", "SEQ", "NAME", "ATTEMPT", "IDENTITY", "DETAIL");
        foreach (var e in events)
            table.AddTextRow(e.EventId.ToString(), CliOutput.Clock(e.Timestamp), e.EventType.ToString(), e.Seq?.ToString(),
                e.Name, e.Attempt?.ToString(), e.Identity, CliOutput.Truncate(Detail(e), 70));
        return table;
    }

    /// <summary>The one thing worth seeing about an event in a line.</summary>
    private static string? Detail(HistoryEvent e) => e.EventType switch
    {
        EventType.WorkflowExecutionStarted or EventType.ActivityTaskScheduled or EventType.WorkflowExecutionSignaled
            or EventType.StartChildWorkflowExecutionInitiated => e.Input,
        EventType.TimerStarted => e.Time is { } at ? $"fires at {CliOutput.Clock(at)}" : null,
        EventType.ActivityTaskAttemptFailed =>
            $"{e.Failure}" + (e.NextAttemptAt is { } next ? $"; retry at {CliOutput.Clock(next)}" : ""),
        _ => e.Failure?.ToString() ?? e.Reason ?? e.Result,
    };
}
