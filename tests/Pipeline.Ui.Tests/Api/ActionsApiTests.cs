using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Pipeline.Durable.History;
using Pipeline.Ui.Tests.Support;

namespace Pipeline.Ui.Tests.Api;

/// <summary>Actions need the token; a granted one lands in the run's history under the UI's identity. The signal sent
/// is harmless (no human preferences) so the running run stays open for every other test.</summary>
[Collection(UiCollection.Name)]
public sealed class ActionsApiTests(UiWorld ui)
{
    private const string HarmlessSignal = "AddHumanPreferences";

    private Task<HttpResponseMessage> SignalAsync(string? token, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/signal/{HarmlessSignal}/{ui.Running.WorkflowId}") { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return ui.Http.SendAsync(request);
    }

    [Fact]
    public async Task Signal_NoToken_Returns401()
    {
        using var response = await SignalAsync(null, new { args = new[] { Array.Empty<object>() } });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Signal_WrongToken_Returns401()
    {
        using var response = await SignalAsync("not-the-token", new { args = new[] { Array.Empty<object>() } });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Signal_WithToken_Returns202AndRecordsTheSignalUnderTheUiIdentity()
    {
        var before = await ui.World.Env.Client.Store.GetHistoryAsync(ui.Running.RunId);

        using var response = await SignalAsync(UiWorld.Token, new { reason = "looks good", args = new[] { Array.Empty<object>() } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var history = await ui.World.Env.Client.Store.GetHistoryAsync(ui.Running.RunId);
        var signaled = Assert.Single(history.Skip(before.Count), e => e.EventType == EventType.WorkflowExecutionSignaled);
        Assert.Equal(HarmlessSignal, signaled.Name);
        Assert.StartsWith("ui@", signaled.Identity);
        using var api = await ui.Http.GetAsync($"api/history/{ui.Running.WorkflowId}");
        var events = JsonDocument.Parse(await api.Content.ReadAsStringAsync()).RootElement.GetProperty("events").EnumerateArray();
        Assert.Contains(events, e => e.GetProperty("event_type").GetString() == "WorkflowExecutionSignaled"
            && e.GetProperty("identity").GetString()!.StartsWith("ui@", StringComparison.Ordinal));
    }

    private Task<HttpResponseMessage> ActAsync(string action, RunRef run, string? token = UiWorld.Token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"api/{action}/{run.WorkflowId}?run={run.RunId}")
        {
            Content = JsonContent.Create(new { reason = $"{action} from the test" }),
        };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return ui.Http.SendAsync(request);
    }

    [Fact]
    public async Task Cancel_WithToken_RecordsTheCancelRequestWithItsReason()
    {
        using var refused = await ActAsync("cancel", ui.IdleToCancel, token: null);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var response = await ActAsync("cancel", ui.IdleToCancel);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var history = await ui.World.Env.Client.Store.GetHistoryAsync(ui.IdleToCancel.RunId);
        var request = Assert.Single(history, e => e.EventType == EventType.WorkflowExecutionCancelRequested);
        Assert.StartsWith("ui@", request.Identity);
        Assert.Equal("cancel from the test", request.Reason);
    }

    [Fact]
    public async Task Terminate_WithToken_ClosesTheRunAsTerminated()
    {
        using var response = await ActAsync("terminate", ui.IdleToTerminate);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = await ui.World.Env.Client.Store.GetRunAsync(ui.IdleToTerminate.WorkflowId, ui.IdleToTerminate.RunId);
        Assert.Equal("terminated", run!.Status);
    }

    [Fact]
    public async Task Terminate_ClosedRun_Returns409()
    {
        using var response = await ActAsync("terminate", ui.Completed);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("completed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
