using Serilog.Context;

namespace Pipeline.Infra.Logging;

/// <summary>
/// Puts the durable-workflow coordinates on every event logged inside a scope, so a run's log lines
/// can be pulled out of Seq or a CLEF file by <c>WorkflowId</c>, <c>RunId</c>, <c>Activity</c> and <c>Attempt</c>.
/// </summary>
public static class PipelineLogContext
{
    public const string WorkflowId = nameof(WorkflowId);
    public const string RunId = nameof(RunId);
    public const string Activity = nameof(Activity);
    public const string Attempt = nameof(Attempt);

    /// <summary>Pushes each coordinate that is present; dispose to pop them. Needs <c>Enrich.FromLogContext()</c>,
    /// which <see cref="PipelineLogging.Create"/> sets.</summary>
    public static IDisposable Push(string? workflowId, string? runId = null, string? activity = null, int? attempt = null)
    {
        var scopes = new Stack<IDisposable>(4);
        if (!string.IsNullOrEmpty(workflowId)) scopes.Push(LogContext.PushProperty(WorkflowId, workflowId));
        if (!string.IsNullOrEmpty(runId)) scopes.Push(LogContext.PushProperty(RunId, runId));
        if (!string.IsNullOrEmpty(activity)) scopes.Push(LogContext.PushProperty(Activity, activity));
        if (attempt is not null) scopes.Push(LogContext.PushProperty(Attempt, attempt.Value));
        return new Scopes(scopes);
    }

    // LogContext is a stack: pop in reverse order of pushing.
    private sealed class Scopes(Stack<IDisposable> scopes) : IDisposable
    {
        public void Dispose()
        {
            while (scopes.TryPop(out var scope)) scope.Dispose();
        }
    }
}
