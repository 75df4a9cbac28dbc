using Pipeline.Durable.History;

namespace Pipeline.Durable.Runtime;

/// <summary>Activities and child workflows as seen from workflow code.</summary>
internal sealed partial class WorkflowInstance
{
    private readonly Dictionary<int, PendingActivityCall> _activities = new();
    private readonly Dictionary<int, PendingChildCall> _children = new();

    public Task<object?> ExecuteActivityAsync(string activityType, object?[] args, Type resultType, ActivityOptions options)
    {
        options.Validate(activityType);
        var ct = options.CancellationToken ?? CancellationToken;
        var seq = NextSeq();
        var call = new PendingActivityCall(activityType, seq, resultType);
        if (ct.IsCancellationRequested)
        {
            call.Fail(new CanceledFailureException("cancelled before it was scheduled"), attempt: 0);
            return call.Task;
        }
        _activities[seq] = call;
        AddCommand(new ScheduleActivityCommand(seq, activityType, options.TaskQueue ?? Info.TaskQueue,
            DataConverter.SerializeArgs(args), ActivitySpec.From(options)));
        if (ct.CanBeCanceled)
        {
            ct.Register(() =>
            {
                if (call.Task.IsCompleted) return;
                if (options.CancellationType != ActivityCancellationType.Abandon) AddCommand(new RequestCancelActivityCommand(seq));
                if (options.CancellationType != ActivityCancellationType.WaitCancellationCompleted)
                {
                    _activities.Remove(seq);
                    call.Fail(new CanceledFailureException("activity cancelled"), attempt: 0);
                }
            });
        }
        return call.Task;
    }

    private void ResolveActivity(int? seq, Action<PendingActivityCall> resolve)
    {
        if (seq is { } s && _activities.Remove(s, out var call)) resolve(call);
    }

    public Task<object?> ExecuteChildWorkflowAsync(string workflowType, object?[] args, Type resultType, ChildWorkflowOptions options)
    {
        var ct = options.CancellationToken ?? CancellationToken;
        var seq = NextSeq();
        var id = options.Id ?? $"{Info.WorkflowId}/child-{seq}";
        var call = new PendingChildCall(workflowType, id, resultType);
        if (ct.IsCancellationRequested)
        {
            call.Fail("was cancelled before it started", new CanceledFailureException("cancelled before it was started"));
            return call.Result;
        }
        _children[seq] = call;
        AddCommand(new StartChildWorkflowCommand(seq, workflowType, id, options.TaskQueue ?? Info.TaskQueue,
            DataConverter.SerializeArgs(args), options.ParentClosePolicy));
        if (ct.CanBeCanceled)
        {
            // The child is asked to cancel; the call ends when the child closes, however it chooses to end.
            ct.Register(() =>
            {
                if (_children.ContainsKey(seq)) AddCommand(new RequestCancelChildWorkflowCommand(seq, id));
            });
        }
        return call.Result;
    }

    /// <summary>An activity call the code awaits.</summary>
    private sealed class PendingActivityCall(string activityType, int seq, Type resultType)
    {
        private readonly TaskCompletionSource<object?> _tcs = new();

        public Task<object?> Task => _tcs.Task;

        public void Complete(string? result) => _tcs.TrySetResult(DeserializeResult(result, resultType));

        public void Fail(HistoryEvent e) =>
            Fail(e.Failure is { } f ? FailureConverter.ToException(f) : new ApplicationFailureException("activity failed"), e.Attempt ?? 0);

        public void Fail(Exception cause, int attempt) => _tcs.TrySetException(new ActivityFailureException(activityType, seq, attempt, cause));
    }

    /// <summary>A child workflow the code awaits; done once its closing event arrives.</summary>
    private sealed class PendingChildCall(string workflowType, string workflowId, Type resultType)
    {
        private readonly TaskCompletionSource<object?> _result = new();

        public Task<object?> Result => _result.Task;

        public void Fail(string message, Exception cause) =>
            _result.TrySetException(new ChildWorkflowFailureException(workflowType, workflowId, message, cause));

        /// <summary>Applies a child event; true when the child is finished.</summary>
        public bool Apply(HistoryEvent e)
        {
            switch (e.EventType)
            {
                case EventType.ChildWorkflowExecutionStarted:
                    return false;
                case EventType.ChildWorkflowExecutionCompleted:
                    _result.TrySetResult(DeserializeResult(e.Result, resultType));
                    return true;
                default:
                    var message = e.EventType switch
                    {
                        EventType.StartChildWorkflowExecutionFailed => "could not start",
                        EventType.ChildWorkflowExecutionCanceled => "was cancelled",
                        EventType.ChildWorkflowExecutionTerminated => "was terminated",
                        _ => "failed",
                    };
                    var cause = e.Failure is { } f ? FailureConverter.ToException(f) : null;
                    _result.TrySetException(new ChildWorkflowFailureException(workflowType, workflowId, message, cause));
                    return true;
            }
        }
    }
}
