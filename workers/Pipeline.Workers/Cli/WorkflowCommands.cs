using System.CommandLine;
using Pipeline.Durable;
using Pipeline.Durable.Client;
using Pipeline.Durable.Runtime;
using Pipeline.Workers.Hosting;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline workflow ...`: start a workflow, wait for its result, and signal, query, cancel or terminate
/// it. The read-only verbs (list, show, history) are in <see cref="WorkflowInspectCommands"/>.</summary>
public static class WorkflowCommands
{
    public static Command Create()
    {
        var group = new Command("workflow", "Start, inspect and control workflow runs");
        group.Subcommands.Add(Start());
        WorkflowInspectCommands.AddTo(group);
        group.Subcommands.Add(Result());
        group.Subcommands.Add(Signal());
        group.Subcommands.Add(Query());
        group.Subcommands.Add(Close("cancel", "Ask a run to cancel: its workflow code sees the request and cleans up",
            (h, reason) => h.CancelAsync(reason ?? "cancelled from the CLI")));
        group.Subcommands.Add(Close("terminate", "End a run at once, without running its workflow code (last resort)",
            (h, reason) => h.TerminateAsync(reason ?? "terminated from the CLI")));
        return group;
    }

    private static Command Start()
    {
        var type = new Option<string>("--type") { Description = "Workflow type", Required = true, HelpName = "TYPE" };
        var id = new Option<string>("--id") { Description = "Workflow id: the business key, unique among open runs", Required = true, HelpName = "ID" };
        var input = CliOptions.Input("The workflow's argument, as JSON (e.g. '{\"steps\":3}')");
        var queue = new Option<string>("--queue") { Description = "Task queue", DefaultValueFactory = _ => "default", HelpName = "Q" };
        var conflict = new Option<string>("--id-conflict")
        {
            Description = "If the id has an open run: return it, fail, or terminate it and start anew",
            DefaultValueFactory = _ => "use-existing",
        }.AcceptOnlyFromAmong("use-existing", "fail", "terminate-existing");
        var reuse = new Option<string>("--id-reuse")
        {
            Description = "If the id has closed runs: start anew always, only if the last one failed, or never",
            DefaultValueFactory = _ => "allow",
        }.AcceptOnlyFromAmong("allow", "failed-only", "reject");
        var json = CliOptions.Json();
        var cmd = new Command("start", "Start a workflow run (idempotent by id: an open run of the id is returned)")
            { type, id, input, queue, conflict, reuse, json };
        cmd.SetAction(async (p, ct) =>
        {
            var typeName = p.GetValue(type)!;
            var argsJson = CheckInput(typeName, CliOptions.ArgsJson(p.GetValue(input)));
            var options = new WorkflowOptions
            {
                Id = p.GetValue(id)!,
                TaskQueue = p.GetValue(queue)!,
                IdConflictPolicy = p.GetValue(conflict) switch
                {
                    "fail" => IdConflictPolicy.Fail,
                    "terminate-existing" => IdConflictPolicy.TerminateExisting,
                    _ => IdConflictPolicy.UseExisting,
                },
                IdReusePolicy = p.GetValue(reuse) switch
                {
                    "failed-only" => IdReusePolicy.AllowDuplicateFailedOnly,
                    "reject" => IdReusePolicy.RejectDuplicate,
                    _ => IdReusePolicy.AllowDuplicate,
                },
            };
            await using var session = await CliSession.OpenAsync(p, create: true, ct);
            var handle = await session.Client.StartWorkflowJsonAsync(typeName, argsJson, options);
            if (p.GetValue(json)) CliOutput.PrintJson(new { id = handle.Id, runId = handle.RunId, created = handle.Created });
            else if (handle.Created) Console.WriteLine($"Started {typeName} '{handle.Id}' on queue '{options.TaskQueue}': run {handle.RunId} (created)");
            else Console.WriteLine($"Workflow '{handle.Id}' already has an open run {handle.RunId}: returned it, started nothing (existing)");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>Catches a mistyped type or an input that does not fit the workflow before anything is stored.</summary>
    private static string CheckInput(string typeName, string argsJson)
    {
        var def = WorkflowRegistry.Workflows.Select(WorkflowDefinition.For).FirstOrDefault(d => d.Name == typeName)
            ?? throw new UsageException($"--type: unknown workflow type '{typeName}'; known: "
                + string.Join(", ", WorkflowRegistry.Workflows.Select(t => WorkflowDefinition.For(t).Name)));
        var parameters = def.RunMethod.GetParameters();
        if (parameters.Length == 1 && argsJson is "[]" or "[null]")
            throw new UsageException($"--input is required: {typeName} takes a {parameters[0].ParameterType.Name} (JSON object)");
        try
        {
            DataConverter.DeserializeArgs(argsJson, parameters.Select(p => p.ParameterType).ToList(), $"{typeName} input");
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--input: {e.Message}");
        }
        return argsJson;
    }

    private static Command Result()
    {
        var id = new Argument<string>("id") { Description = "Workflow id" };
        var run = CliOptions.Run();
        var timeout = new Option<double?>("--timeout") { Description = "Give up after this many seconds (default: wait forever)", HelpName = "SECONDS" };
        var cmd = new Command("result", "Wait for a run to close and print its result JSON (exit 1 if it did not complete)") { id, run, timeout };
        cmd.SetAction(async (p, ct) =>
        {
            await using var session = await CliSession.OpenAsync(p, create: false, ct);
            var handle = session.Client.GetWorkflowHandle(p.GetValue(id)!, p.GetValue(run));
            await handle.DescribeRunAsync(ct); // an unknown id is a usage error, not an endless wait
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            if (p.GetValue(timeout) is { } seconds) deadline.CancelAfter(TimeSpan.FromSeconds(seconds));
            try
            {
                Console.WriteLine(await handle.GetResultJsonAsync(ct: deadline.Token) ?? "null");
                return ExitCodes.Ok;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                Console.Error.WriteLine($"pipeline: timed out after {p.GetValue(timeout)} s: workflow '{handle.Id}' is still running");
                return ExitCodes.Failed;
            }
        });
        return cmd;
    }

    private static Command Signal()
    {
        var id = new Argument<string>("id") { Description = "Workflow id" };
        var name = new Option<string>("--name") { Description = "Signal name", Required = true };
        var input = CliOptions.Input("The signal's argument, as JSON");
        var cmd = new Command("signal", "Send a signal to the latest run of a workflow id") { id, name, input };
        cmd.SetAction(async (p, ct) =>
        {
            var argsJson = CliOptions.ArgsJson(p.GetValue(input));
            await using var session = await CliSession.OpenAsync(p, create: false, ct);
            var handle = session.Client.GetWorkflowHandle(p.GetValue(id)!);
            var run = await handle.DescribeRunAsync(ct);
            var signal = p.GetValue(name)!;
            if (WorkflowRegistry.Workflows.Select(WorkflowDefinition.For).FirstOrDefault(d => d.Name == run.WorkflowType) is { } def
                && !def.Signals.ContainsKey(signal))
                throw new UsageException($"--name: workflow {def.Name} has no signal '{signal}'; known: "
                    + (def.Signals.Count == 0 ? "(none)" : string.Join(", ", def.Signals.Keys)));
            await AsUsageError(handle.SignalJsonAsync(signal, argsJson, ct));
            Console.WriteLine($"Signalled '{signal}' to '{handle.Id}' run {run.RunId}");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Query()
    {
        var id = new Argument<string>("id") { Description = "Workflow id" };
        var name = new Option<string>("--name") { Description = "Query name (e.g. CurrentStep)", Required = true };
        var input = CliOptions.Input("The query's argument, as JSON");
        var run = CliOptions.Run();
        var cmd = new Command("query", "Read a run's state through a query; the run is replayed here from its history") { id, name, input, run };
        cmd.SetAction(async (p, ct) =>
        {
            var argsJson = CliOptions.ArgsJson(p.GetValue(input));
            await using var session = await CliSession.OpenAsync(p, create: false, ct);
            var handle = session.Client.GetWorkflowHandle(p.GetValue(id)!, p.GetValue(run));
            string result;
            try { result = await handle.QueryJsonAsync(p.GetValue(name)!, argsJson, ct); }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException) { throw new UsageException(e.Message, e); }
            Console.WriteLine(result);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Close(string verb, string description, Func<WorkflowHandle, string?, Task> close)
    {
        var id = new Argument<string>("id") { Description = "Workflow id" };
        var reason = new Option<string?>("--reason") { Description = "Recorded in the run's history", HelpName = "R" };
        var cmd = new Command(verb, description) { id, reason };
        cmd.SetAction(async (p, ct) =>
        {
            await using var session = await CliSession.OpenAsync(p, create: false, ct);
            var handle = session.Client.GetWorkflowHandle(p.GetValue(id)!);
            await AsUsageError(close(handle, p.GetValue(reason)));
            Console.WriteLine(verb == "cancel" ? $"Cancellation requested for '{handle.Id}'" : $"Terminated '{handle.Id}'");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    /// <summary>The engine refuses to signal, cancel or terminate a closed run with InvalidOperationException:
    /// for the CLI that is the caller's mistake, not a crash.</summary>
    private static async Task AsUsageError(Task action)
    {
        try { await action; }
        catch (InvalidOperationException e) { throw new UsageException(e.Message, e); }
    }
}
