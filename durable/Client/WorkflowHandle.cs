using System.Linq.Expressions;
using Pipeline.Durable.History;
using Pipeline.Durable.Runtime;
using Pipeline.Durable.Storage;

namespace Pipeline.Durable.Client;

/// <summary>A workflow id (and optionally one run of it) to wait on, signal, query, cancel or terminate.</summary>
public class WorkflowHandle(WorkflowClient client, string id, string? runId)
{
    public string Id { get; } = id;

    /// <summary>The run this handle was made for; null means "the latest run of the id".</summary>
    public string? RunId { get; } = runId;

    /// <summary>False when a start returned an already-open run instead of creating one.</summary>
    public bool Created { get; init; } = true;

    protected WorkflowClient Client { get; } = client;

    public async Task<RunInfo> DescribeRunAsync(CancellationToken ct = default) =>
        await Client.Store.GetRunAsync(Id, RunId, ct) ?? throw new KeyNotFoundException($"No workflow with id '{Id}'" +
            (RunId is null ? "" : $" and run '{RunId}'") + $" in {Client.Store.Description}.");

    public async Task<WorkflowDescription> DescribeAsync(CancellationToken ct = default)
    {
        var run = await DescribeRunAsync(ct);
        return new WorkflowDescription(run, await Client.Store.GetPendingActivitiesAsync(run.RunId, ct));
    }

    public async Task<IReadOnlyList<HistoryEvent>> FetchHistoryAsync(CancellationToken ct = default) =>
        await Client.Store.GetHistoryAsync((await DescribeRunAsync(ct)).RunId, ct);

    /// <summary>Waits for the run to close and returns its result JSON; follows continue-as-new to the final run.
    /// Throws WorkflowFailedException if it failed, was cancelled or terminated.</summary>
    public async Task<string?> GetResultJsonAsync(bool followRuns = true, CancellationToken ct = default)
    {
        using var skipping = Client.Options.AutoTimeSkipping?.Invoke();
        var runId = RunId ?? (await DescribeRunAsync(ct)).RunId;
        while (true)
        {
            var signal = Client.Store.NextRunSignal(runId);
            var run = await Client.Store.GetRunAsync(Id, runId, ct) ?? throw new KeyNotFoundException($"run {runId} of '{Id}' vanished");
            if (run.Status == RunStatus.ContinuedAsNew && followRuns && run.ContinuedToRunId is { } next)
            {
                runId = next;
                continue;
            }
            if (run.Status == RunStatus.Completed) return run.Result;
            if (!run.IsOpen) throw new WorkflowFailedException(run.WorkflowId, run.RunId, run.Status, run.Failure);
            await Task.WhenAny(signal, Task.Delay(Client.Store.PollFallbackInterval, ct));
            ct.ThrowIfCancellationRequested();
        }
    }

    public async Task<T?> GetResultAsync<T>(bool followRuns = true, CancellationToken ct = default) =>
        DataConverter.Deserialize<T>(await GetResultJsonAsync(followRuns, ct));

    public Task SignalAsync<TWorkflow>(Expression<Func<TWorkflow, Task>> signal, CancellationToken ct = default)
    {
        var (method, args) = CallParser.Parse(signal);
        return SignalAsync(WorkflowDefinition.SignalName(method), args, ct);
    }

    public Task SignalAsync(string name, object?[] args, CancellationToken ct = default) =>
        SignalJsonAsync(name, DataConverter.SerializeArgs(args), ct);

    public async Task SignalJsonAsync(string name, string argsJson, CancellationToken ct = default)
    {
        var run = await DescribeRunAsync(ct);
        if (!await Client.Store.SignalAsync(run.RunId, name, argsJson, Client.Options.Identity, Client.Options.Clock.UtcNow, ct))
            throw new InvalidOperationException($"Workflow '{Id}' run {run.RunId} is {run.Status}: it can no longer be signalled.");
    }

    public async Task<TResult?> QueryAsync<TWorkflow, TResult>(Expression<Func<TWorkflow, TResult>> query, CancellationToken ct = default)
    {
        var member = CallParser.ParseMember(query);
        var json = await QueryJsonAsync(WorkflowDefinition.QueryName(member), DataConverter.SerializeArgs(CallParser.ArgsOf(query)), ct);
        return DataConverter.Deserialize<TResult>(json);
    }

    /// <summary>Answers a query by replaying the run's history here, through the workflow code registered in the
    /// client's options, and reading the rebuilt state. Works on open and closed runs alike.</summary>
    public async Task<string> QueryJsonAsync(string name, string argsJson = "[]", CancellationToken ct = default) =>
        (await ReplayForQueriesAsync(ct)).Query(name, argsJson);

    /// <summary>Answers several argument-less queries from one replay of the history: a view that shows a run's stage,
    /// its stage table and its live metrics replays the run once, not once per query.</summary>
    public async Task<IReadOnlyDictionary<string, string>> QueryManyJsonAsync(IReadOnlyList<string> names, CancellationToken ct = default)
    {
        var instance = await ReplayForQueriesAsync(ct);
        return names.Distinct(StringComparer.Ordinal).ToDictionary(n => n, n => instance.Query(n, "[]"), StringComparer.Ordinal);
    }

    private async Task<WorkflowInstance> ReplayForQueriesAsync(CancellationToken ct)
    {
        var run = await DescribeRunAsync(ct);
        var def = Client.FindDefinition(run.WorkflowType) ?? throw new InvalidOperationException(
            $"Cannot query '{Id}': workflow type {run.WorkflowType} is not registered with this client (WorkflowClientOptions.Workflows).");
        var history = await Client.Store.GetHistoryAsync(run.RunId, ct);
        return new WorkflowInstance(def, history);
    }

    public async Task CancelAsync(string reason = "cancelled by request", CancellationToken ct = default)
    {
        var run = await DescribeRunAsync(ct);
        if (!await Client.Store.RequestCancelAsync(run.RunId, reason, Client.Options.Identity, Client.Options.Clock.UtcNow, ct))
            throw new InvalidOperationException($"Workflow '{Id}' run {run.RunId} is {run.Status}: nothing to cancel.");
    }

    public async Task TerminateAsync(string reason = "terminated by request", CancellationToken ct = default)
    {
        var run = await DescribeRunAsync(ct);
        if (!await Client.Store.TerminateAsync(run.RunId, reason, Client.Options.Identity, Client.Options.Clock.UtcNow, ct))
            throw new InvalidOperationException($"Workflow '{Id}' run {run.RunId} is {run.Status}: nothing to terminate.");
    }
}

/// <summary>A handle that knows the workflow's result type.</summary>
public sealed class WorkflowHandle<TResult>(WorkflowClient client, string id, string? runId) : WorkflowHandle(client, id, runId)
{
    public Task<TResult?> GetResultAsync(CancellationToken ct = default) => GetResultAsync<TResult>(true, ct);
}
