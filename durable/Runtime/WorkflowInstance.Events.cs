using Microsoft.Extensions.Logging;
using Pipeline.Durable.History;

namespace Pipeline.Durable.Runtime;

internal sealed partial class WorkflowInstance
{
    /// <summary>Delivers one recorded event to the code (resolves what it waits on, runs a signal handler).</summary>
    private void Apply(HistoryEvent e)
    {
        switch (e.EventType)
        {
            case EventType.WorkflowExecutionStarted:
                Start(e);
                break;
            case EventType.ActivityTaskCompleted:
                ResolveActivity(e.Seq, a => a.Complete(e.Result));
                break;
            case EventType.ActivityTaskFailed or EventType.ActivityTaskTimedOut or EventType.ActivityTaskCanceled:
                ResolveActivity(e.Seq, a => a.Fail(e));
                break;
            case EventType.TimerFired:
                if (e.Seq is { } t && _timers.Remove(t, out var timer)) timer.TrySetResult();
                break;
            case EventType.WorkflowExecutionSignaled:
                DeliverSignal(e);
                break;
            case EventType.WorkflowExecutionCancelRequested:
                _cancel.Cancel();
                break;
            case EventType.ChildWorkflowExecutionStarted or EventType.StartChildWorkflowExecutionFailed
                or EventType.ChildWorkflowExecutionCompleted or EventType.ChildWorkflowExecutionFailed
                or EventType.ChildWorkflowExecutionCanceled or EventType.ChildWorkflowExecutionTerminated:
                if (e.Seq is { } c && _children.TryGetValue(c, out var child) && child.Apply(e)) _children.Remove(c);
                break;
                // Informational events (attempt records, task failures) change nothing the code can see.
        }
    }

    private void Start(HistoryEvent e)
    {
        _workflow = Activator.CreateInstance(_def.Type)!;
        var paramTypes = _def.RunMethod.GetParameters().Select(p => p.ParameterType).ToList();
        object?[] args;
        try
        {
            args = DataConverter.DeserializeArgs(e.Input, paramTypes, $"workflow {_def.Name} input");
        }
        catch (Exception ex)
        {
            _runTask = Task.FromException(new ApplicationFailureException(ex.Message, "InvalidInput", nonRetryable: true));
            return;
        }
        _runTask = Schedule(() => _runMethodTask = (Task)_def.RunMethod.Invoke(_workflow, args)!);
    }

    private void DeliverSignal(HistoryEvent e)
    {
        if (e.Name is null || !_def.Signals.TryGetValue(e.Name, out var method))
        {
            Logger.LogWarning("Workflow {WorkflowId} dropped signal {Signal}: no handler", Info.WorkflowId, e.Name);
            return;
        }
        object?[] args;
        try
        {
            args = DataConverter.DeserializeArgs(e.Input, method.GetParameters().Select(p => p.ParameterType).ToList(), $"signal {e.Name}");
        }
        catch (ArgumentException ex)
        {
            Logger.LogWarning("Workflow {WorkflowId} dropped signal {Signal}: {Error}", Info.WorkflowId, e.Name, ex.Message);
            return;
        }
        _handlerTasks.Add(Schedule(() => (Task)method.Invoke(_workflow, args)!));
    }

    /// <summary>A signal handler that threw: a FailureException fails the workflow, anything else fails the task.</summary>
    private void CheckHandlers()
    {
        for (var i = 0; i < _handlerTasks.Count; i++)
        {
            var t = _handlerTasks[i];
            if (!t.IsCompleted) continue;
            _handlerTasks.RemoveAt(i--);
            if (t.IsFaulted && !_closed) Close(t);
        }
    }

    /// <summary>Turns the finished run method (or a failed signal handler) into the closing command.</summary>
    private void Close(Task finished)
    {
        if (finished.IsCompletedSuccessfully)
        {
            if (finished != _runTask) return;
            var result = _def.ResultType == typeof(void) || _runMethodTask is null ? null
                : _runMethodTask.GetType().GetProperty("Result")!.GetValue(_runMethodTask);
            AddCommand(new CompleteWorkflowCommand(DataConverter.Serialize(result)));
            _closed = true;
            return;
        }
        var error = finished.Exception?.InnerException ?? new OperationCanceledException();
        if (error is System.Reflection.TargetInvocationException { InnerException: { } inner }) error = inner;
        var cancelled = _cancel.IsCancellationRequested && (error is OperationCanceledException or CanceledFailureException
            || error.InnerException is CanceledFailureException);
        if (error is ContinueAsNewException can)
            AddCommand(new ContinueAsNewCommand(can.WorkflowType, can.TaskQueue ?? Info.TaskQueue, can.Input));
        else if (cancelled)
            AddCommand(new CancelWorkflowCommand());
        else if (error is FailureException || _failureExceptionTypes.Any(t => t.IsInstanceOfType(error)))
            AddCommand(new FailWorkflowCommand(FailureConverter.ToFailure(error)));
        else
        {
            // A bug, not a business failure: fail this workflow task so it is retried once the code is fixed.
            _taskFailure = error;
            return;
        }
        _closed = true;
    }
}
