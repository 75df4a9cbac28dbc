namespace Pipeline.Workers.Tests.Cli;

/// <summary>`pipeline dataset publish|list` and `pipeline events pending|flush` as a user runs them in a project folder
/// (embedded profile: artifacts and the outbox under .pipeline/): a valid version uploaded and its event queued,
/// the same files again accepted, bad or unlisted files refused before anything is uploaded, changed files under a
/// published version refused naming both digests, and an unreachable RabbitMQ leaving the event in the outbox.</summary>
public sealed class DatasetPublishCliTests() : CliInTempDirTest("publish-cli-")
{
    private const string DatasetPublished = "Pipeline.Infra.Contracts.DatasetVersionPublished, Pipeline.Infra";

    [Fact]
    public async Task Publish_ValidVersionTwice_PublishedThenAlreadyPublishedWithTwoPendingEvents()
    {
        await GenerateAsync("v1");

        var first = await RunHereOkAsync("dataset", "publish", "v1");
        var listed = JsonArrayIn(await RunHereOkAsync("dataset", "list", "--json"));
        var pendingAfterFirst = JsonArrayIn(await RunHereOkAsync("events", "pending", "--json"));
        var second = await RunHereOkAsync("dataset", "publish", "v1");
        var pendingAfterSecond = JsonArrayIn(await RunHereOkAsync("events", "pending", "--json"));

        Assert.Contains("arith-demo@v1 published: 12 files", first);
        var version = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("arith-demo", "v1", 12), (version.GetProperty("dataset").GetString(), version.GetProperty("version").GetString(), version.GetProperty("fileCount").GetInt32()));
        Assert.StartsWith(P(".pipeline/artifacts"), version.GetProperty("filesUri").GetString());
        var evt = Assert.Single(pendingAfterFirst.EnumerateArray());
        Assert.Equal(DatasetPublished, evt.GetProperty("typeName").GetString());
        Assert.Contains("\"Version\":\"v1\"", evt.GetProperty("json").GetString());
        Assert.Contains("arith-demo@v1 already published (same files)", second);
        Assert.Equal(2, pendingAfterSecond.GetArrayLength());
        Assert.True(File.Exists(P(".pipeline/outbox.db")));
    }

    [Fact]
    public async Task Publish_EditedFile_Exits1ListingProblemAndUploadsNothing()
    {
        await GenerateAsync("v1");
        var lines = await File.ReadAllLinesAsync(P("v1/corpus/pretrain.txt"));
        lines[0] = "1 + 1 = 3.";
        await File.WriteAllLinesAsync(P("v1/corpus/pretrain.txt"), lines);

        var (code, output) = await RunHereAsync("dataset", "publish", "v1");
        var listed = JsonArrayIn(await RunHereOkAsync("dataset", "list", "--json"));
        var pending = JsonArrayIn(await RunHereOkAsync("events", "pending", "--json"));

        Assert.True(code == 1, output);
        Assert.Contains("corpus/pretrain.txt", output);
        Assert.Contains("nothing was published", output);
        Assert.Equal(0, listed.GetArrayLength());
        Assert.Equal(0, pending.GetArrayLength());
    }

    [Fact]
    public async Task Publish_FileNotInManifest_Exits1NamingItAndUploadsNothing()
    {
        await GenerateAsync("v1");
        await File.WriteAllTextAsync(P("v1/sft/notes.txt"), "scratch\n");

        var (code, output) = await RunHereAsync("dataset", "publish", "v1");
        var listed = JsonArrayIn(await RunHereOkAsync("dataset", "list", "--json"));

        Assert.True(code == 1, output);
        Assert.Contains("v1/sft/notes.txt: not listed in manifest.json", output);
        Assert.Contains("1 problem; nothing was published", output);
        Assert.Equal(0, listed.GetArrayLength());
    }

    [Fact]
    public async Task Publish_SameVersionWithDifferentFiles_Exits2NamingBothDigests()
    {
        await GenerateAsync("v1", seed: 7);
        await GenerateAsync("v1-reseeded", seed: 8, version: "v1");
        await RunHereOkAsync("dataset", "publish", "v1");
        // The reseeded folder's own files digest, from a publish into a separate data folder.
        await RunHereOkAsync("--set", "DataDir=other", "dataset", "publish", "v1-reseeded");
        var published = FilesDigest(await RunHereOkAsync("dataset", "list", "--json"));
        var reseeded = FilesDigest(await RunHereOkAsync("--set", "DataDir=other", "dataset", "list", "--json"));

        var (code, output) = await RunHereAsync("dataset", "publish", "v1-reseeded");
        var listed = JsonArrayIn(await RunHereOkAsync("dataset", "list", "--json"));
        var pending = JsonArrayIn(await RunHereOkAsync("events", "pending", "--json"));

        Assert.NotEqual(published, reseeded);
        Assert.True(code == 2, output);
        Assert.Contains($"arith-demo@v1 is already published with files {published}; these files are {reseeded}", output);
        Assert.Equal("7", Assert.Single(listed.EnumerateArray()).GetProperty("properties").GetProperty("seed").GetString());
        Assert.Equal(1, pending.GetArrayLength());
    }

    [Fact]
    public async Task Publish_RabbitMqUnreachable_Exits1EventWaitsInOutboxAndFlushExits1()
    {
        await GenerateAsync("v1");
        string[] rabbit = ["--set", "Bus:Transport=RabbitMq", "--set", $"Bus:Port={ClosedPort()}"];

        var (code, output) = await RunHereAsync(["dataset", "publish", "v1", "--wait", "0", .. rabbit]);
        var pending = JsonArrayIn(await RunHereOkAsync(["events", "pending", "--json", .. rabbit]));
        var (flush, flushOutput) = await RunHereAsync(["events", "flush", "--wait", "0", .. rabbit]);
        var stillPending = JsonArrayIn(await RunHereOkAsync("events", "pending", "--json"));

        Assert.True(code == 1, output);
        Assert.Contains("arith-demo@v1 published", output);
        Assert.Contains($"1 event(s) wait in {P(".pipeline/outbox.db")}", output);
        Assert.Equal(DatasetPublished, Assert.Single(pending.EnumerateArray()).GetProperty("typeName").GetString());
        Assert.True(flush == 1, flushOutput);
        Assert.Contains("0 event(s) delivered, 1 pending", flushOutput);
        Assert.Equal(1, stillPending.GetArrayLength());
    }

    private Task GenerateAsync(string folder, int seed = 1234, string? version = null) =>
        RunHereOkAsync("dataset", "generate", "--version", version ?? folder, "--seed", $"{seed}", "--corpus-lines", "2000", "--out", P(folder));

    private static string FilesDigest(string listJson) =>
        Assert.Single(JsonArrayIn(listJson).EnumerateArray()).GetProperty("filesDigest").GetString()!;
}
