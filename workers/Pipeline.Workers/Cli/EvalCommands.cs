using System.CommandLine;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline eval …`: evaluation verbs, one file each.</summary>
public static class EvalCommands
{
    public static Command Create()
    {
        var eval = new Command("eval", "Evaluation: run suites on a model, check training/eval contamination");
        eval.Subcommands.Add(EvalRunCommand.Create());
        eval.Subcommands.Add(EvalContaminationCommand.Create());
        return eval;
    }
}
