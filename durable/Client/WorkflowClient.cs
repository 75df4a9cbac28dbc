using System.Linq.Expressions;
using Pipeline.Durable.Runtime;
using Pipeline.Durable.Storage;

namespace Pipeline.Durable.Client;

/// <summary>Starts workflows and finds them: the operator's and the application's entry point to the engine.</summary>
public sealed class WorkflowClient(IWorkflowStore store, WorkflowClientOptions? options = null)
{
    public IWorkflowStore Store { get; } = store;
    public WorkflowClientOptions Options { get; } = options ?? new WorkflowClientOptions();

    public async Task<WorkflowHandle<TResult>> StartWorkflowAsync<TWorkflow, TResult>(
        Expression<Func<TWorkflow, Task<TResult>>> run, WorkflowOptions options)
    {
        var handle = await StartWorkflowAsync(WorkflowDefinition.For<TWorkflow>().Name, CallParser.ArgsOf(run), options);
        return new WorkflowHandle<TResult>(this, handle.Id, handle.RunId) { Created = handle.Created };
    }

    public Task<WorkflowHandle> StartWorkflowAsync<TWorkflow>(Expression<Func<TWorkflow, Task>> run, WorkflowOptions options) =>
        StartWorkflowAsync(WorkflowDefinition.For<TWorkflow>().Name, CallParser.ArgsOf(run), options);

    public Task<WorkflowHandle> StartWorkflowAsync(string workflowType, object?[] args, WorkflowOptions options) =>
        StartWorkflowJsonAsync(workflowType, DataConverter.SerializeArgs(args), options);

    /// <summary>Starts a workflow by type name with a JSON array of arguments. With the default id conflict policy
    /// (UseExisting) starting an id that is already running returns that run: Created tells which.</summary>
    public async Task<WorkflowHandle> StartWorkflowJsonAsync(string workflowType, string argsJson, WorkflowOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Id)) throw new ArgumentException("WorkflowOptions.Id is required.");
        var result = await Store.StartWorkflowAsync(new StartWorkflowRequest
        {
            WorkflowId = options.Id, WorkflowType = workflowType, TaskQueue = options.TaskQueue, Input = argsJson,
            IdReusePolicy = options.IdReusePolicy, IdConflictPolicy = options.IdConflictPolicy,
            WorkflowTaskTimeout = options.WorkflowTaskTimeout, Memo = options.Memo, Identity = Options.Identity,
        }, Options.Clock.UtcNow);
        return new WorkflowHandle(this, result.WorkflowId, result.RunId) { Created = result.Created };
    }

    /// <summary>A handle to the given run, or to the latest run of the id when <paramref name="runId"/> is null.</summary>
    public WorkflowHandle GetWorkflowHandle(string workflowId, string? runId = null) => new(this, workflowId, runId);

    public WorkflowHandle<TResult> GetWorkflowHandle<TResult>(string workflowId, string? runId = null) => new(this, workflowId, runId);

    public Task<IReadOnlyList<RunInfo>> ListWorkflowsAsync(RunQuery? query = null, CancellationToken ct = default) =>
        Store.ListRunsAsync(query ?? new RunQuery(), ct);

    /// <summary>The registered workflow class of that type name (<see cref="WorkflowClientOptions.Workflows"/>), or null.</summary>
    public WorkflowDefinition? FindDefinition(string workflowType) =>
        Options.Workflows.Select(WorkflowDefinition.For).FirstOrDefault(d => d.Name == workflowType);
}
