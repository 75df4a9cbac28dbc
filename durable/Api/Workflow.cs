using System.Linq.Expressions;
using Microsoft.Extensions.Logging;
using Pipeline.Durable.Runtime;

namespace Pipeline.Durable;

/// <summary>The API available inside workflow code. Everything here is deterministic: on replay it returns
/// what it returned the first time. Use these instead of DateTime.Now, Task.Delay, Guid.NewGuid and Random.</summary>
public static class Workflow
{
    private static WorkflowInstance Instance => WorkflowInstance.Current;

    /// <summary>True when called from workflow code (on the workflow's own scheduler).</summary>
    public static bool InWorkflow => WorkflowInstance.InWorkflow;

    public static WorkflowInfo Info => Instance.Info;

    /// <summary>The workflow's clock: the time the current workflow task started, the same on every replay.</summary>
    public static DateTime UtcNow => Instance.UtcNow.UtcDateTime;

    /// <summary>A random source seeded per run.</summary>
    public static Random Random => Instance.Random;

    /// <summary>Cancelled when someone asks the workflow to cancel.</summary>
    public static CancellationToken CancellationToken => Instance.CancellationToken;

    /// <summary>True while the code is re-running recorded history (side effects such as logging should be skipped).</summary>
    public static bool IsReplaying => Instance.IsReplaying;

    /// <summary>A logger that stays silent during replay, so each line is written once.</summary>
    public static ILogger Logger => Instance.Logger;

    public static Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        Instance.Random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    /// <summary>A durable timer: survives restarts; a 90-day delay costs nothing while it waits.</summary>
    public static Task DelayAsync(TimeSpan delay, CancellationToken? cancellationToken = null) =>
        Instance.DelayAsync(delay, cancellationToken);

    /// <summary>Waits until <paramref name="condition"/> holds (checked whenever the workflow makes progress).</summary>
    public static async Task WaitConditionAsync(Func<bool> condition, CancellationToken? cancellationToken = null) =>
        await Instance.WaitConditionAsync(condition, null, cancellationToken);

    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; false on timeout.</summary>
    public static Task<bool> WaitConditionAsync(Func<bool> condition, TimeSpan timeout, CancellationToken? cancellationToken = null) =>
        Instance.WaitConditionAsync(condition, timeout, cancellationToken);

    /// <summary>For changing workflow code while runs are in flight: true on new runs, false when replaying a run
    /// recorded before the change. Keep both branches until no old run remains, then use DeprecatePatch.</summary>
    public static bool Patched(string patchId) => Instance.Patched(patchId, deprecated: false);

    /// <summary>Marks a patch whose old branch has been removed: no marker is needed any more.</summary>
    public static void DeprecatePatch(string patchId) => Instance.Patched(patchId, deprecated: true);

    public static async Task<TResult> ExecuteActivityAsync<TActivities, TResult>(
        Expression<Func<TActivities, Task<TResult>>> call, ActivityOptions options)
    {
        var (method, args) = CallParser.Parse(call);
        return (TResult)(await Instance.ExecuteActivityAsync(ActivityDefinition.NameOf(method), args, typeof(TResult), options))!;
    }

    public static Task ExecuteActivityAsync<TActivities>(Expression<Func<TActivities, Task>> call, ActivityOptions options)
    {
        var (method, args) = CallParser.Parse(call);
        return Instance.ExecuteActivityAsync(ActivityDefinition.NameOf(method), args, typeof(void), options);
    }

    public static async Task<TResult> ExecuteActivityAsync<TResult>(Expression<Func<Task<TResult>>> call, ActivityOptions options)
    {
        var (method, args) = CallParser.Parse(call);
        return (TResult)(await Instance.ExecuteActivityAsync(ActivityDefinition.NameOf(method), args, typeof(TResult), options))!;
    }

    /// <summary>Calls an activity by its type name (for activities defined elsewhere).</summary>
    public static async Task<TResult> ExecuteActivityAsync<TResult>(string activityType, object?[] args, ActivityOptions options) =>
        (TResult)(await Instance.ExecuteActivityAsync(activityType, args, typeof(TResult), options))!;

    public static Task ExecuteActivityAsync(string activityType, object?[] args, ActivityOptions options) =>
        Instance.ExecuteActivityAsync(activityType, args, typeof(void), options);

    public static async Task<TResult> ExecuteChildWorkflowAsync<TWorkflow, TResult>(
        Expression<Func<TWorkflow, Task<TResult>>> run, ChildWorkflowOptions? options = null)
    {
        var args = CallParser.ArgsOf(run);
        return (TResult)(await Instance.ExecuteChildWorkflowAsync(WorkflowDefinition.For<TWorkflow>().Name, args, typeof(TResult),
            options ?? new ChildWorkflowOptions()))!;
    }

    public static Task ExecuteChildWorkflowAsync<TWorkflow>(Expression<Func<TWorkflow, Task>> run, ChildWorkflowOptions? options = null) =>
        Instance.ExecuteChildWorkflowAsync(WorkflowDefinition.For<TWorkflow>().Name, CallParser.ArgsOf(run), typeof(void),
            options ?? new ChildWorkflowOptions());

    /// <summary>Throw the result to end this run and continue as a new run with fresh history.</summary>
    public static ContinueAsNewException CreateContinueAsNewException<TWorkflow>(Expression<Func<TWorkflow, Task>> run, string? taskQueue = null) =>
        new(WorkflowDefinition.For<TWorkflow>().Name, DataConverter.SerializeArgs(CallParser.ArgsOf(run)), taskQueue);
}
