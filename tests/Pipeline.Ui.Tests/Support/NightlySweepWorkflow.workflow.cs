using Pipeline.Durable;

namespace Pipeline.Ui.Tests.Support;

/// <summary>A long-lived loop that continues as new after each pass, as Temporal's samples keep histories short: the
/// UI's continue-as-new chain. Pass 0 continues as pass 1, which completes.</summary>
[Workflow]
public sealed class NightlySweepWorkflow
{
    [WorkflowRun]
    public async Task<int> RunAsync(int pass)
    {
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        if (pass == 0) throw Workflow.CreateContinueAsNewException((NightlySweepWorkflow w) => w.RunAsync(pass + 1));
        return pass;
    }
}
