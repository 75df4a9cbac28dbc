using Pipeline.Durable.Storage;

namespace Pipeline.Durable.Worker;

/// <summary>Workflow tasks taken in the same commit as the activity result that created them, and run at once by
/// the worker that reported it (bounded by the worker's workflow-task concurrency).</summary>
internal sealed class EagerWorkflowTasks(WorkerOptions options, WorkflowTaskRunner runner, CancellationToken stopping)
{
    private readonly SemaphoreSlim _slots = new(options.MaxConcurrentWorkflowTasks);

    /// <summary>A request to pass with the activity's report, holding a slot; null when none is free. The task it
    /// creates is decided inside the report's transaction when possible (see <see cref="InlineDecision"/>).</summary>
    public EagerWorkflowRequest? TryRequest(InlineDecision inline) =>
        _slots.Wait(0)
            ? new EagerWorkflowRequest(options.TaskQueue, options.Identity!, runner.KnownHistory, lease => runner.DecideInline(lease, inline),
                runner.WorkflowTypes)
            : null;

    /// <summary>The report failed: nothing it decided stands.</summary>
    public void Abort(InlineDecision inline)
    {
        inline.Abort();
        _slots.Release();
    }

    /// <summary>After the report committed: finish what was decided inline, or handle the leased task now (record
    /// the failure if the code threw inline, as the ordinary path would; otherwise run it).</summary>
    public async Task CompleteAndReleaseAsync(ActivityFinish finish, InlineDecision inline)
    {
        try
        {
            if (finish is { Decision: not null, Completion: { } done }) runner.AfterInlineCommit(inline, done);
            else
            {
                var failure = inline.CodeFailure;
                inline.Abort();
                if (finish.EagerWorkflowTask is { } lease && !stopping.IsCancellationRequested)
                    await (failure is null ? runner.RunAsync(lease, stopping) : runner.FailAsync(lease, failure, stopping));
            }
        }
        finally
        {
            _slots.Release();
        }
    }
}
