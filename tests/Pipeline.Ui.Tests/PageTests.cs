using Microsoft.Playwright;
using Pipeline.Ui.Tests.Support;

namespace Pipeline.Ui.Tests;

/// <summary>The page in Debian's Chromium over the real runs: filters, the retry on the timeline, a gate's numbers, a
/// chart with data, and an action refused without the token and done with it. Each test keeps a screenshot.</summary>
[Collection(UiCollection.Name)]
public sealed class PageTests(UiWorld ui, Browser browser)
{
    private static string Fragment(RunRef run, string tab) => $"#/run/{run.WorkflowId}?run={run.RunId}&tab={tab}";

    private async Task<IPage> OpenAsync(string fragment)
    {
        var (page, response) = await browser.OpenAsync(new Uri(ui.Ui.Url, "/" + fragment));
        Assert.Equal(200, response?.Status);
        return page;
    }

    [Fact]
    public async Task WorkflowList_FilteredByStatus_ShowsOnlyThatStatus()
    {
        var page = await OpenAsync("#/");
        await using var context = page.Context;
        Assert.Contains("Pipeline", await page.TitleAsync());
        await page.Locator("#workflows tbody tr").First.WaitForAsync();
        var ids = await page.Locator("#workflows tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.id)");
        Assert.Subset(new HashSet<string>(ids), new HashSet<string>([ui.Completed.WorkflowId, ui.Blocked.WorkflowId, ui.Failed.WorkflowId, ui.Running.WorkflowId]));
        await Browser.ScreenshotAsync(page, "workflows");

        await page.SelectOptionAsync("select[name=status]", "failed");
        await page.ClickAsync("#filters button[type=submit]");
        await page.WaitForFunctionAsync("() => document.querySelectorAll('#workflows tbody tr').length === 1");

        Assert.Equal("failed", await page.Locator("#workflows tbody tr").First.GetAttributeAsync("data-status"));
        Assert.Equal(ui.Failed.WorkflowId, await page.Locator("#workflows tbody tr").First.GetAttributeAsync("data-id"));

        await page.FillAsync("input[name=id]", "arith-demo@v2");
        await page.SelectOptionAsync("select[name=status]", "");
        await page.ClickAsync("#filters button[type=submit]");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#workflows tbody tr')].every(r => r.dataset.id.includes('arith-demo@v2'))");
        Assert.Equal(1, await page.Locator("#workflows tbody tr").CountAsync());
    }

    [Fact]
    public async Task WorkflowList_WithARunningRun_RefreshesByItselfWhenItCloses()
    {
        var page = await OpenAsync("#/?id=idle-refresh");
        await using var context = page.Context;
        var row = page.Locator("#workflows tbody tr").First;
        await row.WaitForAsync();
        Assert.Equal("running", await row.GetAttributeAsync("data-status"));

        await ui.World.Env.Client.Store.TerminateAsync(ui.IdleToRefresh.RunId, "closed behind the page's back", "test", DateTimeOffset.UtcNow);

        // No navigation: the list's own refresh (every second in this world) picks the new status up.
        await page.WaitForFunctionAsync("() => document.querySelector('#workflows tbody tr')?.dataset.status === 'terminated'",
            null, new() { Timeout = 15_000 });
    }

    [Fact]
    public async Task RunPage_OfAContinuedRun_LinksToTheRunItContinuedAsAndBack()
    {
        var page = await OpenAsync(Fragment(ui.SweepFirst, "summary"));
        await using var context = page.Context;
        await page.Locator("#facts").WaitForAsync();
        Assert.Contains("continued_as_new", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);

        Assert.Contains("Continued as", await page.Locator("#facts").InnerTextAsync(), StringComparison.Ordinal);
        await page.ClickAsync($"#facts a[href*='{ui.SweepSecond.RunId}'] >> nth=0");
        await page.WaitForFunctionAsync($"() => document.querySelector('#facts')?.innerText.includes('{ui.SweepSecond.RunId}')");
        Assert.Contains("completed", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Continued from", await page.Locator("#facts").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator($"#facts a[href*='{ui.SweepFirst.RunId}']").CountAsync() >= 1, "a link back to the first run");
    }

    [Fact]
    public async Task SummaryTab_OfARunWithARunningActivity_ShowsItsLastHeartbeatAndDetails()
    {
        var page = await OpenAsync(Fragment(ui.Watching, "summary"));
        await using var context = page.Context;
        var row = page.Locator("#pending tbody tr").First;
        await row.WaitForAsync();
        await Browser.ScreenshotAsync(page, "pending-heartbeat");

        var text = await row.InnerTextAsync();
        Assert.Contains("Watch", text, StringComparison.Ordinal);
        Assert.Contains(ShardWatchActivities.ScannedDetail, text, StringComparison.Ordinal);
        Assert.Matches(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z", text);   // the last heartbeat's time
    }

    [Fact]
    public async Task HistoryTab_OfTheFailedRun_GroupsTheAttemptsWithTheirWorkersAndFailures()
    {
        var page = await OpenAsync(Fragment(ui.Failed, "history"));
        await using var context = page.Context;
        var group = page.Locator("#compact tr[data-name=Upload]");
        await group.WaitForAsync();
        await Browser.ScreenshotAsync(page, "history-compact");

        Assert.Equal("failed", await group.GetAttributeAsync("data-status"));
        var attempts = group.Locator(".attempt");
        Assert.Equal(2, await attempts.CountAsync());
        var first = await attempts.Nth(0).InnerTextAsync();
        Assert.Contains(FlakyUploadActivities.ConnectionRefused, first, StringComparison.Ordinal);
        Assert.Contains("retry at", first, StringComparison.Ordinal);
        Assert.Contains(" on ", first, StringComparison.Ordinal);   // the worker that ran it
        Assert.Contains(FlakyUploadActivities.BucketMissing, await attempts.Nth(1).InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RawAndQueryTabs_ShowEveryEventWithAnExportAndAnswerAQueryByReplay()
    {
        var page = await OpenAsync(Fragment(ui.Running, "raw"));
        await using var context = page.Context;
        await page.Locator("#raw tbody tr").First.WaitForAsync();
        var stored = await ui.World.Env.Client.Store.GetHistoryAsync(ui.Running.RunId);
        Assert.True(await page.Locator("#raw tbody tr").CountAsync() >= stored.Count, "every event (at least those stored when the test began) is listed");
        Assert.Contains("download=1", await page.Locator("#export").GetAttributeAsync("href") ?? "", StringComparison.Ordinal);

        await page.ClickAsync(".tabs a[data-tab=queries]");
        await page.ClickAsync("button[data-query=CurrentStage]");
        await page.Locator("#query-result pre").WaitForAsync();
        Assert.Contains("ab_rollout", await page.Locator("#query-result pre").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timeline_OfTheFailedRun_ShowsTheFailedAttemptThenItsRetry()
    {
        var page = await OpenAsync(Fragment(ui.Failed, "timeline"));
        await using var context = page.Context;
        var bars = page.Locator("#timeline .row[data-kind=activity] .bar[data-attempt]");
        await bars.First.WaitForAsync();
        await Browser.ScreenshotAsync(page, "timeline-retry");

        Assert.Equal(2, await bars.CountAsync());
        Assert.Equal(1, await page.Locator("#timeline .row[data-kind=activity] .bar.backoff").CountAsync());   // the wait before the retry
        Assert.Contains("failed", await page.Locator("#timeline .bar[data-attempt='1']").GetAttributeAsync("class") ?? "");
        Assert.Contains("connection refused", await page.Locator("#timeline .bar[data-attempt='1']").GetAttributeAsync("title") ?? "");
        Assert.Contains("2 attempts", await page.Locator("#timeline .row[data-kind=activity] .label").InnerTextAsync());
    }

    [Fact]
    public async Task RecipeTab_OfTheBlockedRun_ShowsTheGateRulesWithTheirNumbers()
    {
        var page = await OpenAsync(Fragment(ui.Blocked, "recipe"));
        await using var context = page.Context;
        var gate = page.Locator("section.gate[data-gate=gate_sft]");
        await gate.WaitForAsync();
        await Browser.ScreenshotAsync(page, "recipe-blocked");

        Assert.Contains("blocked", await gate.Locator("h3").InnerTextAsync());
        var failing = gate.Locator("tr[data-rule]:has(td.verdict-fail)");
        Assert.True(await failing.CountAsync() >= 1, "a blocked gate shows at least one failing rule");
        var row = await failing.First.InnerTextAsync();
        Assert.Matches(@"\d\.\d{3}", row);   // the candidate's and baseline's values, not just a verdict
        Assert.Contains("blocked", await page.Locator("#verdict").InnerTextAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RecipeTab_OfTheCompletedRun_DrawsTheSftLossCurveWithItsPoints()
    {
        var page = await OpenAsync(Fragment(ui.Completed, "recipe"));
        await using var context = page.Context;
        var loss = page.Locator("#charts figure.chart[data-metric=loss]").First;
        await loss.WaitForAsync();
        await Browser.ScreenshotAsync(page, "recipe-completed");

        var points = int.Parse(await loss.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(points >= 2, $"the loss chart has {points} points");
        var path = await loss.Locator("path.line").GetAttributeAsync("d") ?? "";
        Assert.Equal(points, path.Count(c => c is 'M' or 'L'));
        // The evals with their intervals, and the A/B window with its test.
        Assert.Matches(@"\d\.\d{3} \[\d\.\d{3}, \d\.\d{3}\]", await page.Locator("section.eval[data-stage=final_eval] table").InnerTextAsync());
        var ab = await page.Locator("#ab").InnerTextAsync();
        Assert.Contains("challenger_share", ab, StringComparison.Ordinal);
        Assert.Contains("p_value", ab, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SummaryTab_OfTheCompletedRun_LinksItsChildWorkflow()
    {
        var page = await OpenAsync(Fragment(ui.Completed, "summary"));
        await using var context = page.Context;
        var child = page.Locator("#facts a.child");
        await child.WaitForAsync();

        Assert.Equal("base-model/arith-demo-base@pretrained", await child.InnerTextAsync());
        await child.ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('h1')?.innerText.includes('base-model/')");
        Assert.Contains(ui.Completed.WorkflowId, await page.Locator("#facts").InnerTextAsync(), StringComparison.Ordinal);   // its parent
    }

    [Fact]
    public async Task RecipeTab_OfTheDpoRun_ShowsThePreferenceQcCounts()
    {
        var page = await OpenAsync(Fragment(ui.Dpo, "recipe"));
        await using var context = page.Context;
        var qc = page.Locator("#qc");
        await qc.WaitForAsync();
        await Browser.ScreenshotAsync(page, "recipe-dpo");

        var text = await qc.InnerTextAsync();
        Assert.Matches(@"pairs\s+\d+", text);
        Assert.Contains("prompts", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelsPage_ShowsTheChampionAndLinksTheVersionToItsRun()
    {
        var page = await OpenAsync("#/models");
        await using var context = page.Context;
        var row = page.Locator("section.model[data-model=arith-demo] a.made-by").First;
        await row.WaitForAsync();
        await Browser.ScreenshotAsync(page, "models");

        Assert.Equal(1, await page.Locator("section.model[data-model=arith-demo] .alias", new() { HasTextString = "champion" }).CountAsync());
        await row.ClickAsync();
        await page.Locator("#facts").WaitForAsync();
        Assert.Contains(ui.Completed.WorkflowId, await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Abort_WithoutTheToken_IsRefusedAndWithItIsSentAndRecorded()
    {
        var run = ui.ToAbort;
        var page = await OpenAsync(Fragment(run, "summary"));
        await using var context = page.Context;
        await page.Locator("#actions").WaitForAsync();

        await page.FillAsync("#reason", "stop this one");
        await page.ClickAsync("#actions button[data-signal=abort]");
        await page.Locator("#action-message.error").WaitForAsync();
        Assert.Contains("401", await page.Locator("#action-message").InnerTextAsync());
        Assert.Equal("running", (await ui.World.Env.Client.Store.GetRunAsync(run.WorkflowId, run.RunId))!.Status);

        await page.FillAsync("#token", UiWorld.Token);
        await page.DispatchEventAsync("#token", "change");
        await page.ClickAsync("#actions button[data-signal=abort]");
        // The page says "sent" until its next refresh, which may already show the run aborted: the store is the judge.
        Pipeline.Durable.History.HistoryEvent? signal = null;
        for (var waited = 0; signal is null && waited < 100; waited++)
        {
            signal = (await ui.World.Env.Client.Store.GetHistoryAsync(run.RunId))
                .SingleOrDefault(e => e.EventType == Pipeline.Durable.History.EventType.WorkflowExecutionSignaled && e.Name == "abort");
            if (signal is null) await Task.Delay(100);
        }
        await Browser.ScreenshotAsync(page, "action-sent");

        Assert.NotNull(signal);
        Assert.StartsWith("ui@", signal.Identity, StringComparison.Ordinal);
        Assert.Contains("stop this one", signal.Input, StringComparison.Ordinal);
        // The run's page lists the signal it received, from whom.
        await page.ReloadAsync();
        var signals = page.Locator("#signals");
        await signals.WaitForAsync();
        var text = await signals.InnerTextAsync();
        Assert.Contains("abort", text, StringComparison.Ordinal);
        Assert.Contains("ui@", text, StringComparison.Ordinal);
    }
}
