using System.Text.Json;
using Pipeline.Durable.History;

namespace Pipeline.Durable.Runtime;

/// <summary>What workflow code waits on: timers, wait conditions and patches.</summary>
internal sealed partial class WorkflowInstance
{
    internal const string PatchMarker = "patch";

    private readonly Dictionary<int, TaskCompletionSource> _timers = new();
    private readonly List<(Func<bool> Condition, TaskCompletionSource<bool> Done)> _conditions = [];
    private readonly Dictionary<string, bool> _patches = new();
    private HashSet<string> _patchesRecorded = [];

    public Task DelayAsync(TimeSpan delay, CancellationToken? token)
    {
        var ct = token ?? CancellationToken;
        if (ct.IsCancellationRequested) return Task.FromCanceled(ct);
        if (delay <= TimeSpan.Zero) return Task.CompletedTask;
        var seq = NextSeq();
        var tcs = new TaskCompletionSource();
        _timers[seq] = tcs;
        AddCommand(new StartTimerCommand(seq, UtcNow + delay));
        if (ct.CanBeCanceled)
        {
            ct.Register(() =>
            {
                if (!_timers.Remove(seq)) return;
                AddCommand(new CancelTimerCommand(seq));
                tcs.TrySetCanceled(ct);
            });
        }
        return tcs.Task;
    }

    /// <summary>True when the condition became true, false when the timeout fired first.</summary>
    public async Task<bool> WaitConditionAsync(Func<bool> condition, TimeSpan? timeout, CancellationToken? token)
    {
        var ct = token ?? CancellationToken;
        if (condition()) return true;
        var done = new TaskCompletionSource<bool>();
        var entry = (condition, done);
        _conditions.Add(entry);
        using var reg = ct.Register(() =>
        {
            _conditions.Remove(entry);
            done.TrySetCanceled(ct);
        });
        if (timeout is not { } t) return await done.Task;
        using var timerCancel = new CancellationTokenSource();
        var timer = DelayAsync(t, timerCancel.Token);
        var first = await Task.WhenAny(done.Task, timer);
        if (first == done.Task)
        {
            timerCancel.Cancel();
            return await done.Task;
        }
        _conditions.Remove(entry);
        if (timer.IsCanceled) await timer;
        return false;
    }

    /// <summary>Completes the first waiting condition that holds; true if one did (the code may now run on).</summary>
    private bool ResolveConditions()
    {
        for (var i = 0; i < _conditions.Count; i++)
        {
            var (condition, done) = _conditions[i];
            if (!condition()) continue;
            _conditions.RemoveAt(i);
            done.TrySetResult(true);
            return true;
        }
        return false;
    }

    /// <summary>Temporal's patching: new runs take the new path (and record a marker); a run replaying history
    /// recorded before the patch takes the old path. The answer is fixed for the rest of the run.</summary>
    public bool Patched(string patchId, bool deprecated)
    {
        if (_patches.TryGetValue(patchId, out var known)) return known;
        if (deprecated)
        {
            _patches[patchId] = true;
            return true;
        }
        var use = !IsReplaying || _patchesRecorded.Contains(patchId);
        if (use) AddCommand(new RecordMarkerCommand(PatchMarker, patchId));
        _patches[patchId] = use;
        return use;
    }

    private HashSet<string> RecordedPatches(int from)
    {
        var set = new HashSet<string>();
        for (var i = from; i < _history.Count && _history[i].IsCommandEvent; i++)
        {
            if (_history[i] is { EventType: EventType.MarkerRecorded, Name: PatchMarker, Details: { } id }) set.Add(id);
        }
        return set;
    }

    internal static object? DeserializeResult(string? json, Type type) =>
        type == typeof(void) || json is null ? null : JsonSerializer.Deserialize(json, type, DataConverter.Options);
}
