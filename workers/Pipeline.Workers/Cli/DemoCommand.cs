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
                What works today, stage by stage by hand: the workflow engine with its smoke-test workflow,
                  ./pipeline server &
                  ./pipeline workflow start --type SleepyStepsWorkflow --id smoke --input '{"steps":3,"stepSeconds":1,"logFile":"/tmp/steps.log"}'
                  ./pipeline workflow show smoke
                the demo domain's data, training, evaluation and gates,
                  ./pipeline dataset generate --version v1 --out data/arith-demo/v1
                  ./pipeline ml train pretrain|sft|dpo|grpo ...
                  ./pipeline eval run --model DIR --suites eval/suites/demo.yaml --data data/arith-demo/v1 --out runs/NAME
                  ./pipeline gate check --candidate runs/NEW --baseline runs/OLD --policy eval/policies/post-sft.yaml
                See workers/README.md for every verb and eval/README.md ("Measured") for the chain run by hand.
                """);
            return ExitCodes.Usage;
        });
        return cmd;
    }
}
