using System.Text.Json;
using Pipeline.Ui.Tests.Support;

namespace Pipeline.Ui.Tests.Api;

/// <summary>The runs list and a run's grouped events, read over HTTP from the real host over the real runs.</summary>
[Collection(UiCollection.Name)]
public sealed class WorkflowsApiTests(UiWorld ui)
{
    private const string BaseModelId = "base-model/arith-demo-base@pretrained";

    private async Task<JsonElement> GetAsync(string path)
    {
        using var response = await ui.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static List<string> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();

    [Fact]
    public async Task List_NoFilter_ListsEveryRunOfTheWorldAndTheBaseModelChild()
    {
        var page = await GetAsync("api/workflows");

        var ids = Ids(page);
        Assert.Equal(13, ids.Count);   // the sweep's two runs share one id
        Assert.Equivalent(new[] { ui.Completed.WorkflowId, ui.Blocked.WorkflowId, ui.Dpo.WorkflowId, ui.Failed.WorkflowId, ui.Running.WorkflowId, ui.ToAbort.WorkflowId,
            ui.IdleToCancel.WorkflowId, ui.IdleToTerminate.WorkflowId, ui.IdleToRefresh.WorkflowId, ui.Watching.WorkflowId, ui.SweepFirst.WorkflowId, ui.SweepSecond.WorkflowId, BaseModelId }, ids);
        var child = page.GetProperty("items").EnumerateArray().Single(r => r.GetProperty("id").GetString() == BaseModelId);
        Assert.Equal(ui.Completed.WorkflowId, child.GetProperty("parent").GetString());
        Assert.False(page.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task List_StatusFailed_ReturnsOnlyTheFailedRun()
    {
        var page = await GetAsync("api/workflows?status=failed");

        var row = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(ui.Failed.WorkflowId, row.GetProperty("id").GetString());
        Assert.Equal(ui.Failed.RunId, row.GetProperty("run_id").GetString());
        Assert.Equal("failed", row.GetProperty("status").GetString());
    }

    [Fact]
    public async Task List_IdContainsV2_ReturnsOnlyTheBlockedRun()
    {
        var page = await GetAsync("api/workflows?id=arith-demo@v2");

        var row = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(ui.Blocked.WorkflowId, row.GetProperty("id").GetString());
        Assert.Equal("completed", row.GetProperty("status").GetString());
    }

    [Fact]
    public async Task List_LimitTwo_PagesThroughEveryRunOnceWithHasMore()
    {
        var all = Ids(await GetAsync("api/workflows"));

        var seen = new List<string>();
        for (var offset = 0; ; offset += 2)
        {
            var page = await GetAsync($"api/workflows?limit=2&offset={offset}");
            var ids = Ids(page);
            seen.AddRange(ids);
            var more = page.GetProperty("has_more").GetBoolean();
            Assert.Equal(offset + 2 < all.Count, more);
            if (!more) break;
            Assert.Equal(2, ids.Count);
        }
        Assert.Equal(all, seen);
    }

    [Fact]
    public async Task Events_FailedRun_GroupsTheUploadWithTwoAttemptsTheFirstFailedWithItsMessage()
    {
        var view = await GetAsync($"api/events/{ui.Failed.WorkflowId}");

        var group = Assert.Single(view.GetProperty("groups").EnumerateArray(), g => g.GetProperty("kind").GetString() == "activity");
        Assert.Equal("Upload", group.GetProperty("name").GetString());
        Assert.Equal("failed", group.GetProperty("status").GetString());
        var attempts = group.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(2, attempts.Count);
        Assert.Equal(1, attempts[0].GetProperty("number").GetInt32());
        Assert.Equal("failed", attempts[0].GetProperty("outcome").GetString());
        Assert.Equal(FlakyUploadActivities.ConnectionRefused, attempts[0].GetProperty("failure").GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.String, attempts[0].GetProperty("next_attempt_at").ValueKind);
        Assert.Equal("failed", attempts[1].GetProperty("outcome").GetString());
        Assert.Equal(FlakyUploadActivities.BucketMissing, attempts[1].GetProperty("failure").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Describe_RunningRun_ReportsRunningWithItsQueriesAndSignals()
    {
        var run = await GetAsync($"api/workflows/{ui.Running.WorkflowId}?run={ui.Running.RunId}");

        Assert.Equal("running", run.GetProperty("run").GetProperty("status").GetString());
        Assert.Contains("CurrentStage", run.GetProperty("queries").EnumerateArray().Select(q => q.GetString()));
        Assert.Contains("approve", run.GetProperty("signal_names").EnumerateArray().Select(q => q.GetString()));
    }

    [Fact]
    public async Task Describe_BlockedRun_HasItsInputAndResultAsJson()
    {
        var run = await GetAsync($"api/workflows/{ui.Blocked.WorkflowId}");

        // Payloads come back as JSON values, not escaped strings: the input's dataset, the result's status and reason.
        var input = run.GetProperty("input")[0];
        Assert.Equal("v2", input.GetProperty("dataset").GetProperty("version").GetString());
        var result = run.GetProperty("result");
        Assert.Equal("blocked", result.GetProperty("status").GetString());
        Assert.Contains("gate_sft", result.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_RunningRunCurrentStage_AnswersAbRollout()
    {
        var answer = await GetAsync($"api/query/CurrentStage/{ui.Running.WorkflowId}");

        Assert.Equal("ab_rollout", answer.GetProperty("result").GetString());
    }

    [Fact]
    public async Task List_TypeDatasetAndTimeFilters_NarrowTheList()
    {
        Assert.All(Ids(await GetAsync("api/workflows?type=FlakyUploadWorkflow")), id => Assert.StartsWith("upload/", id, StringComparison.Ordinal));
        Assert.Equal([ui.Completed.WorkflowId], Ids(await GetAsync("api/workflows?dataset=arith-demo@v1")));
        Assert.Empty(Ids(await GetAsync($"api/workflows?from={DateTimeOffset.UtcNow.AddYears(5):yyyy-MM-ddTHH:mm:ssZ}")));
        Assert.Equal(Ids(await GetAsync("api/workflows")), Ids(await GetAsync($"api/workflows?to={DateTimeOffset.UtcNow.AddYears(5):yyyy-MM-ddTHH:mm:ssZ}")));
    }

    [Fact]
    public async Task List_MalformedTimeOrLimit_Returns400SayingWhatWasExpected()
    {
        using var time = await ui.Http.GetAsync("api/workflows?from=yesterday");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, time.StatusCode);
        Assert.Contains("ISO-8601", await time.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var limit = await ui.Http.GetAsync("api/workflows?limit=0");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, limit.StatusCode);
    }

    [Fact]
    public async Task History_Download_IsTheWholeHistoryAsAnAttachment()
    {
        using var response = await ui.Http.GetAsync($"api/history/{ui.Failed.WorkflowId}?run={ui.Failed.RunId}&download=1");

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        var events = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("events").EnumerateArray().ToList();
        var stored = await ui.World.Env.Client.Store.GetHistoryAsync(ui.Failed.RunId);
        Assert.Equal(stored.Select(e => e.EventId), events.Select(e => e.GetProperty("event_id").GetInt64()));
        Assert.Equal("WorkflowExecutionFailed", events[^1].GetProperty("event_type").GetString());
    }

    [Fact]
    public async Task Describe_UnknownWorkflow_Returns404NamingIt()
    {
        using var response = await ui.Http.GetAsync("api/workflows/post-train/nope@v9");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("post-train/nope@v9", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
