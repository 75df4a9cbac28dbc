using Pipeline.Durable.Samples;
using Pipeline.Durable.Worker;

namespace Pipeline.Workers.Hosting;

/// <summary>The one list of what this codebase runs: every workflow type and every activity class. Workers register
/// all of it; the CLI's client needs the workflow types to answer queries (they replay the run locally) and to check
/// `workflow start --type`. Add the recipe's workflows and activities here as they are written.</summary>
public static class WorkflowRegistry
{
    public static IReadOnlyList<Type> Workflows { get; } =
    [
        typeof(SleepyStepsWorkflow),
    ];

    /// <summary>Registers every workflow and activity on a worker.</summary>
    public static Worker AddRegistered(this Worker worker)
    {
        foreach (var type in Workflows) worker.AddWorkflow(type);
        worker.AddActivities(new SleepyStepsActivities());
        return worker;
    }
}
