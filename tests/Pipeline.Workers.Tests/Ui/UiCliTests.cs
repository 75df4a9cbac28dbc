using System.Net;
using System.Text.RegularExpressions;
using Pipeline.Durable;
using Pipeline.Durable.Client;
using Pipeline.Durable.Samples;
using Pipeline.Durable.Storage;
using Pipeline.Durable.Tests.Support;
using Pipeline.Workers.Tests.Cli;
using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Ui;

/// <summary>`pipeline ui` as a user runs it: over a store that has a run, read-only without a token.</summary>
public sealed partial class UiCliTests() : CliInTempDirTest("ui-cli-")
{
    [GeneratedRegex(@"Audit UI at (http://127\.0\.0\.1:\d+/)")]
    private static partial Regex UrlLine();

    [Fact]
    public async Task Ui_NoStoreYet_ExitsTwoSayingSo()
    {
        var (code, output) = await RunHereAsync("ui", "--port", "0");

        Assert.True(code == 2, output);
        Assert.Contains("no store at", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ui_OverAStoreWithARun_ListsItServesThePageAndRefusesActionsWithoutAToken()
    {
        var path = P("store.db");
        await using (var store = new SqliteWorkflowStore(path))
        {
            await store.InitializeAsync();
            // No worker runs it: it stays open, as a run waiting for a worker would.
            await new WorkflowClient(store).StartWorkflowAsync((SleepyStepsWorkflow w) => w.RunAsync(new SleepyStepsInput(2, 0.1, P("steps.log"))),
                new WorkflowOptions { Id = "ui-cli/waiting", TaskQueue = "nobody" });
        }
        await using var ui = PipelineProcess.Start(P("ui.log"), Dir, (IReadOnlyDictionary<string, string?>?)null, "ui", "--port", "0", "--store", "sqlite:" + path);
        string? url = null;
        await Eventually.TrueAsync(() => Task.FromResult((url = UrlLine().Match(ui.Output()).Groups[1].Value) is { Length: > 0 }),
            TimeSpan.FromSeconds(60), "the 'Audit UI at' line\n" + ui.Output());
        using var http = new HttpClient { BaseAddress = new Uri(url!) };

        var list = await http.GetStringAsync("api/workflows");
        Assert.Contains("\"id\":\"ui-cli/waiting\"", list, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"running\"", list, StringComparison.Ordinal);
        Assert.Contains("<title>Pipeline", await http.GetStringAsync(""), StringComparison.Ordinal);
        using var cancel = await http.PostAsync("api/cancel/ui-cli/waiting", null);
        Assert.Equal(HttpStatusCode.Forbidden, cancel.StatusCode);
        Assert.Contains("read-only", ui.Output(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_WithAToken_ServesTheUiWithActionsEnabled()
    {
        var path = P("server.db");
        await using var server = PipelineProcess.Start(P("server.log"), Dir, (IReadOnlyDictionary<string, string?>?)null, "server", "--store", "sqlite:" + path,
            "--set", "Serving:Port=0", "--set", "Ui:Port=0", "--set", "Ui:Token=s3cret");
        string? url = null;
        await Eventually.TrueAsync(() => Task.FromResult((url = UrlLine().Match(server.Output()).Groups[1].Value) is { Length: > 0 }),
            TimeSpan.FromSeconds(90), "the server's 'Audit UI at' line\n" + server.Output());
        using var http = new HttpClient { BaseAddress = new Uri(url!) };

        var info = await http.GetStringAsync("api/info");

        Assert.Contains("\"actions_enabled\":true", info, StringComparison.Ordinal);
        Assert.Contains(path, info, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", server.Output(), StringComparison.Ordinal);   // the token is never logged
    }
}
