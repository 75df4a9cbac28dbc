using System.CommandLine;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline eval …`: evaluation verbs, one file each.</summary>
public static class EvalCommands
{
    public static Command Create()
    {
        var eval = new Command("eval", "Evaluation: contamination checks between training and eval sets");
        eval.Subcommands.Add(EvalContaminationCommand.Create());
        return eval;
    }
}
