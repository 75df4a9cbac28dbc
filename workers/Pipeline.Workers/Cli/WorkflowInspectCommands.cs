using System.CommandLine;
using Pipeline.Durable.Storage;

namespace Pipeline.Workers.Cli;

/// <summary>The read-only verbs of `pipeline workflow`: list, show and history. Each prints a table, or JSON with --json.</summary>
public static class WorkflowInspectCommands
{
    public static void AddTo(Command group)
    {
        group.Subcommands.Add(List());
        group.Subcommands.Add(Show());
        group.Subcommands.Add(History());
    }

    private static Command List()
    {
        var status = new Option<string?>("--status") { Description = "Only runs with this status" }
            .AcceptOnlyFromAmong([.. RunStatus.All]);
        var type = new Option<string?>("--type") { Description = "Only runs of this workflow type", HelpName = "TYPE" };
        var idContains = new Option<string?>("--id-contains") { Description = "Only ids containing this text", HelpName = "TEXT" };
        var limit = new Option<int>("--limit") { Description = "At most this many runs, newest first", DefaultValueFactory = _ => 50, HelpName = "N" };
        var json = CliOptions.Json();
        var cmd = new Command("list", "List workflow runs, newest first") { status, type, idContains, limit, json };
        cmd.SetAction(async (p, ct) =>
        {
            if (p.GetValue(limit) < 1) throw new UsageException($"--limit must be at least 1, was {p.GetValue(limit)}");
            await using var session = await CliSession.OpenAsync(p, create: false, ct);
            var runs = await session.Client.ListWorkflowsAsync(new RunQuery
            {
                Status = p.GetValue(status),
                WorkflowType = p.GetValue(type),
                IdContains = p.GetValue(idContains),
                Limit = p.GetValue(limit),
            }, ct);
            var views = runs.Select(WorkflowViews.Summary).ToList();
            if (p.GetValue(json)) CliOutput.PrintJson(views);
            else CliOutput.Render(WorkflowTables.Runs(views));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Show()
    {
        var id = new Argument<string>("id") { Description = "Workflow id" };
        var run = CliOptions.Run();
        var json = CliOptions.Json();
        var cmd = new Command("show", "Show a run: status, input, result or failure, and the activities in flight") { id, run, json };
        cmd.SetAction(async (p, ct) =>
        {
            await using var session = await CliSession.OpenAsync(p, create: false, ct);
            var description = await session.Client.GetWorkflowHandle(p.GetValue(id)!, p.GetValue(run)).DescribeAsync(ct);
            var view = WorkflowViews.Detail(description);
            if (p.GetValue(json)) CliOutput.PrintJson(view);
            else CliOutput.Render(WorkflowTables.Detail(view));
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command History()
    {
        var id = new Argument<string>("id") { Description = "Workflow id" };
        var run = CliOptions.Run();
        var json = CliOptions.Json();
        var cmd = new Command("history", "Print a run's event history (with --json: every event in full, the audit export)") { id, run, json };
        cmd.SetAction(async (p, ct) =>
        {
            await using var session = await CliSession.OpenAsync(p, create: false, ct);
            var events = await session.Client.GetWorkflowHandle(p.GetValue(id)!, p.GetValue(run)).FetchHistoryAsync(ct);
            // The audit export keeps each event exactly as stored (payloads stay the JSON strings the engine wrote),
            // so it reads back as HistoryEvent records.
            if (p.GetValue(json)) CliOutput.PrintJson(events);
            else CliOutput.Render(WorkflowTables.History(events));
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
