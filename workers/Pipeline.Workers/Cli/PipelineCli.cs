using System.CommandLine;

namespace Pipeline.Workers.Cli;

/// <summary>The `pipeline` command line: its verbs, and how a parse error or an exception becomes one line on
/// stderr and an exit code (see <see cref="ExitCodes"/>).</summary>
public static class PipelineCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand("Pipeline: post-training for language models on a durable workflow engine.");
        root.Options.Add(CliOptions.Store);
        root.Options.Add(CliOptions.Profile);
        root.Options.Add(CliOptions.ConfigFile);
        root.Options.Add(CliOptions.Set);
        root.Subcommands.Add(ServerCommands.Server());
        root.Subcommands.Add(ServerCommands.Worker());
        root.Subcommands.Add(WorkflowCommands.Create());
        root.Subcommands.Add(ConfigCommands.Create());
        root.Subcommands.Add(EventsCommands.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        root.Subcommands.Add(UiCommand.Create());
        root.Subcommands.Add(BenchCommands.Create());
        root.Subcommands.Add(MlCommands.Create());
        root.Subcommands.Add(DatasetCommands.Create());
        root.Subcommands.Add(EvalCommands.Create());
        root.Subcommands.Add(GateCommands.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = Build();
        if (args.Length == 0)
        {
            await root.Parse(["--help"]).InvokeAsync();
            return ExitCodes.Usage;
        }
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0) return CliErrors.ReportParseErrors(parse);
        try
        {
            // The CLI owns errors (one line, exit 2) and signals (servers stop gracefully on their own schedule,
            // not System.CommandLine's 2 s).
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
        }
        catch (Exception e)
        {
            return CliErrors.Report(e);
        }
    }
}
