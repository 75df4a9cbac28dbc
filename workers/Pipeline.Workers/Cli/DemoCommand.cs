using System.CommandLine;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline demo`: the end-to-end post-training recipe. It is not built yet (issue #7), so the verb says so
/// and exits 2 instead of pretending; it points at what runs today.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var cmd = new Command("demo", "Run the whole post-training recipe end to end (NOT BUILT YET: issue #7)");
        cmd.SetAction(_ =>
        {
            Console.Error.WriteLine("""
                pipeline demo: the post-training recipe is not built yet (issue #7), so there is nothing to demo end to end.
                What works today is the workflow engine with its smoke-test workflow:
                  ./pipeline server &
                  ./pipeline workflow start --type SleepyStepsWorkflow --id smoke --input '{"steps":3,"stepSeconds":1,"logFile":"/tmp/steps.log"}'
                  ./pipeline workflow show smoke
                  ./pipeline workflow result smoke
                See workers/README.md for every verb.
                """);
            return ExitCodes.Usage;
        });
        return cmd;
    }
}
