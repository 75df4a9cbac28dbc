using Microsoft.Extensions.DependencyInjection;
using Pipeline.Activities.Evaluation;
using Pipeline.Activities.Registry;
using Pipeline.Activities.Rollout;
using Pipeline.Activities.Training;
using Pipeline.Durable.Samples;
using Pipeline.Durable.Worker;
using Pipeline.Workflows.BaseModel;
using Pipeline.Workflows.PostTraining;

namespace Pipeline.Workers.Hosting;

/// <summary>The one list of what this codebase runs: every workflow type and every activity class. Workers register
/// all of it; the CLI's client needs the workflow types to answer queries (they replay the run locally) and to check
/// `workflow start --type`. Add new workflows and activities here.</summary>
public static class WorkflowRegistry
{
    public static IReadOnlyList<Type> Workflows { get; } =
    [
        typeof(PostTrainingWorkflow),
        typeof(BaseModelWorkflow),
        typeof(SleepyStepsWorkflow),
    ];

    /// <summary>Registers every workflow and activity on a worker. The recipe's activities come from
    /// <paramref name="services"/> (their stores and settings are there); without it only the smoke-test ones.</summary>
    public static Worker AddRegistered(this Worker worker, IServiceProvider? services = null)
    {
        foreach (var type in Workflows) worker.AddWorkflow(type);
        worker.AddActivities(new SleepyStepsActivities());
        if (services is null) return worker;
        worker.AddActivities(services.GetRequiredService<TrainingActivities>());
        worker.AddActivities(services.GetRequiredService<EvalActivities>());
        worker.AddActivities(services.GetRequiredService<RegistryActivities>());
        worker.AddActivities(services.GetRequiredService<RolloutActivities>());
        return worker;
    }
}
