namespace Pipeline.Durable.Tests.Worker;

/// <summary>Every kind of step in one run: an activity, a durable timer, two activities in parallel, a wait for a
/// signal, and a last activity that uses the signal's value.</summary>
[Workflow]
internal sealed class ErrandWorkflow
{
    private string? _approver;

    [WorkflowSignal]
    public Task ApproveAsync(string approver)
    {
        _approver = approver;
        return Task.CompletedTask;
    }

    [WorkflowRun]
    public async Task<string> RunAsync(string name)
    {
        var first = await Workflow.ExecuteActivityAsync((ErrandActivities a) => a.EchoAsync($"{name}:first"), ErrandActivities.Options);
        await Workflow.DelayAsync(TimeSpan.FromHours(1));
        var pair = await Task.WhenAll(
            Workflow.ExecuteActivityAsync((ErrandActivities a) => a.EchoAsync($"{name}:left"), ErrandActivities.Options),
            Workflow.ExecuteActivityAsync((ErrandActivities a) => a.EchoAsync($"{name}:right"), ErrandActivities.Options));
        await Workflow.WaitConditionAsync(() => _approver is not null);
        var last = await Workflow.ExecuteActivityAsync((ErrandActivities a) => a.EchoAsync($"{name}:{_approver}"), ErrandActivities.Options);
        return $"{first} {pair[0]} {pair[1]} {last}";
    }

    public static string Expected(string name, string approver) =>
        $"echo {name}:first echo {name}:left echo {name}:right echo {name}:{approver}";
}

/// <summary>Echoes its input and counts each call, so a test can tell an activity ran exactly once.</summary>
internal sealed class ErrandActivities
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _calls = new();

    public static readonly ActivityOptions Options = new() { StartToCloseTimeout = TimeSpan.FromMinutes(1) };

    public IReadOnlyDictionary<string, int> Calls => _calls;

    [Activity]
    public Task<string> EchoAsync(string text)
    {
        _calls.AddOrUpdate(text, 1, (_, n) => n + 1);
        return Task.FromResult("echo " + text);
    }
}
