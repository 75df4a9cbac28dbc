using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Durable.History;
using Pipeline.Durable.Storage;

namespace Pipeline.Durable.Runtime;

/// <summary>One run's workflow object rebuilt from its history. The history is cut into activations: the
/// events delivered together before each WorkflowTaskCompleted. Each activation's events are applied, the code
/// runs until it blocks, and the commands it issues must equal the command events recorded after that
/// WorkflowTaskCompleted. The commands of the last activation (after the recorded history) are the new decisions.</summary>
internal sealed partial class WorkflowInstance
{
    [ThreadStatic] private static WorkflowInstance? _current;

    private readonly WorkflowDefinition _def;
    private readonly List<HistoryEvent> _history;
    private int _pos; // the next history event not yet delivered to the code
    private readonly WorkflowTaskScheduler _scheduler = new();
    private readonly List<WorkflowCommand> _commands = [];
    private readonly CancellationTokenSource _cancel = new();
    private readonly ISet<Type> _failureExceptionTypes;
    private readonly ILogger _logger;
    private object _workflow = null!;
    private Task? _runTask;
    private Task? _runMethodTask; // the run method's own Task<T>, whose Result is the workflow result
    private readonly List<Task> _handlerTasks = [];
    private int _nextSeq = 1;
    private bool _closed;
    private Exception? _taskFailure;

    public WorkflowInstance(WorkflowDefinition def, IReadOnlyList<HistoryEvent> history, ISet<Type>? failureExceptionTypes = null,
        ILogger? logger = null)
    {
        if (history.Count == 0 || history[0].EventType != EventType.WorkflowExecutionStarted)
            throw new InvalidDataException("a history must begin with WorkflowExecutionStarted");
        _def = def;
        _history = [.. history];
        _failureExceptionTypes = failureExceptionTypes ?? new HashSet<Type>();
        _logger = logger ?? NullLogger.Instance;
        var started = history[0];
        var details = DataConverter.Deserialize<StartedDetails>(started.Details);
        Random = new Random((int)(details?.RandomSeed ?? 0) ^ (int)((details?.RandomSeed ?? 0) >> 32));
        Info = new WorkflowInfo
        {
            WorkflowId = started.WorkflowId ?? "", RunId = started.RunId ?? "", WorkflowType = def.Name,
            TaskQueue = started.TaskQueue ?? "default", StartTime = started.Timestamp, ParentWorkflowId = details?.ParentWorkflowId,
            ParentRunId = details?.ParentRunId, ContinuedFromRunId = details?.ContinuedFromRunId, Memo = details?.Memo,
        };
    }

    internal static WorkflowInstance Current => _current ?? throw new InvalidOperationException(
        "Workflow.* may only be called from workflow code on its own scheduler. Task.Run, ConfigureAwait(false), " +
        "Task.Delay and other threads leave it; use Workflow.DelayAsync and plain awaits.");

    internal static bool InWorkflow => _current is not null;

    public WorkflowInfo Info { get; }

    /// <summary>The history this instance has seen (the run's full history up to its last task).</summary>
    public IReadOnlyList<HistoryEvent> History => _history;

    /// <summary>True once the code has issued its closing command.</summary>
    public bool IsClosed => _closed;

    /// <summary>Adds events recorded after the ones this instance has (the next task's new events, or the events
    /// its own last commit recorded). Ids must follow on; the caller falls back to a full replay otherwise.</summary>
    public void Extend(IEnumerable<HistoryEvent> events)
    {
        foreach (var e in events)
        {
            if (e.EventId != _history[^1].EventId + 1)
                throw new InvalidOperationException($"history gap: have up to event {_history[^1].EventId}, got {e.EventId}");
            _history.Add(e);
        }
    }
    public Random Random { get; }
    public DateTimeOffset UtcNow { get; private set; }
    public bool IsReplaying { get; private set; }
    public CancellationToken CancellationToken => _cancel.Token;
    public ILogger Logger => IsReplaying ? NullLogger.Instance : _logger;

    /// <summary>Replays the whole history and returns the commands the code issues after it (the task's decisions).</summary>
    public IReadOnlyList<WorkflowCommand> RunTask(DateTimeOffset taskStartedAt) => Replay(taskStartedAt);

    /// <summary>Replays the whole history, then answers a query against the rebuilt state.</summary>
    public string Query(string name, string argsJson)
    {
        Replay(_history[^1].Timestamp);
        if (!_def.Queries.TryGetValue(name, out var method))
            throw new ArgumentException($"Workflow {_def.Name} has no query '{name}'. Known: {string.Join(", ", _def.Queries.Keys)}");
        var args = DataConverter.DeserializeArgs(argsJson, method.GetParameters().Select(p => p.ParameterType).ToList(), $"query {name}");
        var prev = _current;
        _current = this;
        try
        {
            return DataConverter.Serialize(method.Invoke(_workflow, args));
        }
        finally
        {
            _current = prev;
        }
    }

    private IReadOnlyList<WorkflowCommand> Replay(DateTimeOffset taskStartedAt)
    {
        var prev = _current;
        _current = this;
        try
        {
            while (true)
            {
                var pos = _pos;
                var boundary = IndexOf(EventType.WorkflowTaskCompleted, pos);
                IsReplaying = boundary >= 0;
                UtcNow = IsReplaying ? _history[boundary].Time ?? _history[boundary].Timestamp : taskStartedAt;
                var batchEnd = IsReplaying ? boundary : _history.Count;
                _patchesRecorded = IsReplaying ? RecordedPatches(boundary + 1) : [];
                for (var i = pos; i < batchEnd; i++) Apply(_history[i]);
                RunUntilBlocked();
                if (_taskFailure is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_taskFailure).Throw();
                if (!IsReplaying)
                {
                    // The commands stay pending: if this instance is kept (a sticky cache) they are matched against
                    // the events their commit recorded when the history is next extended.
                    _pos = _history.Count;
                    return [.. _commands];
                }
                _pos = MatchCommands(boundary + 1);
                _commands.Clear();
            }
        }
        finally
        {
            _current = prev;
        }
    }

    private int IndexOf(EventType type, int from)
    {
        for (var i = from; i < _history.Count; i++)
            if (_history[i].EventType == type) return i;
        return -1;
    }

    /// <summary>Compares the commands just issued with the command events recorded after a WorkflowTaskCompleted;
    /// returns the index of the first event after them.</summary>
    private int MatchCommands(int from)
    {
        var i = from;
        var c = 0;
        for (; i < _history.Count && _history[i].IsCommandEvent; i++)
        {
            var e = _history[i];
            if (c < _commands.Count && Matches(_commands[c], e))
            {
                c++;
                continue;
            }
            // A patch marker whose Patched call was removed (after DeprecatePatch) is allowed to stay in history.
            if (e is { EventType: EventType.MarkerRecorded, Name: PatchMarker }) continue;
            throw new NonDeterminismException(e.EventId, c < _commands.Count
                ? $"{Where(e)}: history records {Describe(e)}, but the workflow code now issues {_commands[c].Describe()}."
                : $"{Where(e)}: history records {Describe(e)}, but the workflow code no longer issues it.");
        }
        if (c < _commands.Count)
        {
            var last = _history[i - 1];
            throw new NonDeterminismException(last.EventId,
                $"{Where(last)}: the workflow code now issues {_commands[c].Describe()} after this event, which history does not record.");
        }
        return i;
    }

    private string Where(HistoryEvent e) =>
        $"Non-deterministic workflow {_def.Name} (id {Info.WorkflowId}, run {Info.RunId}) at event {e.EventId}";

    private static string Describe(HistoryEvent e) =>
        $"{e.EventType}" + (e.Name is null ? "" : $" '{e.Name}'") + (e.Seq is null ? "" : $" (seq {e.Seq})");

    private static bool Matches(WorkflowCommand command, HistoryEvent e) => command switch
    {
        ScheduleActivityCommand c => e.EventType == EventType.ActivityTaskScheduled && e.Seq == c.Seq && e.Name == c.ActivityType,
        RequestCancelActivityCommand c => e.EventType == EventType.ActivityTaskCancelRequested && e.Seq == c.Seq,
        StartTimerCommand c => e.EventType == EventType.TimerStarted && e.Seq == c.Seq,
        CancelTimerCommand c => e.EventType == EventType.TimerCanceled && e.Seq == c.Seq,
        RecordMarkerCommand c => e.EventType == EventType.MarkerRecorded && e.Name == c.Name && e.Details == c.Details,
        StartChildWorkflowCommand c => e.EventType == EventType.StartChildWorkflowExecutionInitiated && e.Seq == c.Seq && e.Name == c.WorkflowType,
        RequestCancelChildWorkflowCommand c => e.EventType == EventType.RequestCancelExternalWorkflowExecutionInitiated && e.Seq == c.Seq,
        CompleteWorkflowCommand => e.EventType == EventType.WorkflowExecutionCompleted,
        FailWorkflowCommand => e.EventType == EventType.WorkflowExecutionFailed,
        CancelWorkflowCommand => e.EventType == EventType.WorkflowExecutionCanceled,
        ContinueAsNewCommand => e.EventType == EventType.WorkflowExecutionContinuedAsNew,
        _ => false,
    };

    /// <summary>Runs the code until every continuation has run and no wait condition has become true.</summary>
    private void RunUntilBlocked()
    {
        while (true)
        {
            _scheduler.RunUntilEmpty();
            CheckHandlers();
            if (!_closed && _runTask is { IsCompleted: true }) Close(_runTask);
            if (_closed || !ResolveConditions()) return;
        }
    }

    private void AddCommand(WorkflowCommand command)
    {
        if (!_closed) _commands.Add(command);
    }

    internal int NextSeq() => _nextSeq++;

    private Task Schedule(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.None, _scheduler).Unwrap();

    private static JsonElement? ParseJson(string? json) => json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
}
