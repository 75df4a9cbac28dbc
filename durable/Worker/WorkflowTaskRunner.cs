using Microsoft.Extensions.Logging;
using Pipeline.Durable.Runtime;
using Pipeline.Durable.Storage;

namespace Pipeline.Durable.Worker;

/// <summary>Processes one workflow task: replays the run's history through its workflow code and commits the
/// new commands. A replay that disagrees with history fails the run with an error naming the event; any other
/// exception from workflow code fails only this task, which is retried with backoff.</summary>
internal sealed class WorkflowTaskRunner(IWorkflowStore store, WorkerOptions options, IReadOnlyDictionary<string, WorkflowDefinition> workflows,
    ILogger logger)
{
    private readonly HashSet<Type> _failureTypes = [.. options.WorkflowFailureExceptionTypes];

    public async Task RunAsync(WorkflowTaskLease lease, CancellationToken ct)
    {
        var run = lease.Run;
        using var scope = logger.BeginScope(new Dictionary<string, object>
        {
            ["WorkflowId"] = run.WorkflowId, ["RunId"] = run.RunId, ["WorkflowType"] = run.WorkflowType,
        });
        IReadOnlyList<WorkflowCommand> commands;
        try
        {
            if (!workflows.TryGetValue(run.WorkflowType, out var def))
                throw new InvalidOperationException($"workflow type '{run.WorkflowType}' is not registered on worker {options.Identity} " +
                    $"(registered: {string.Join(", ", workflows.Keys)})");
            commands = new WorkflowInstance(def, lease.History, _failureTypes, logger).RunTask(lease.StartedAt);
        }
        catch (NonDeterminismException nd)
        {
            logger.LogError("{Message}", nd.Message);
            commands = [new FailWorkflowCommand(nd.ToFailure())];
        }
        catch (Exception e)
        {
            var retryIn = TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(lease.Attempt, 10) - 1)));
            logger.LogError(e, "Workflow task of {WorkflowId} failed (attempt {Attempt}); retrying in {Delay}", run.WorkflowId, lease.Attempt, retryIn);
            var failure = FailureConverter.ToFailure(e) with { Kind = "workflow_task" };
            await store.FailWorkflowTaskAsync(lease, failure, options.Clock.UtcNow + retryIn, options.Clock.UtcNow, ct);
            return;
        }
        if (!await store.CompleteWorkflowTaskAsync(lease, commands, options.Clock.UtcNow, ct))
            logger.LogDebug("Workflow task of {WorkflowId} raced with new events; it will be replayed", run.WorkflowId);
    }
}
