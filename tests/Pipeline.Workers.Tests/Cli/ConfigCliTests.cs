namespace Pipeline.Workers.Tests.Cli;

/// <summary>`pipeline config show|check` and the configuration layers as a user meets them: appsettings.json in the
/// working directory, PIPELINE__* variables, --store/--set/--profile; every problem with its key and where it came
/// from (exit 2), an unreachable service with --connect (exit 1); secrets never printed.</summary>
public sealed class ConfigCliTests() : CliInTempDirTest("config-cli-")
{
    [Fact]
    public async Task ConfigShow_EmptyFolder_StoreIsSqliteFromEmbeddedProfileDefault()
    {
        var output = await RunHereOkAsync("config", "show");

        var store = output.Split('\n').Single(l => l.TrimStart().StartsWith("Pipeline:Store ", StringComparison.Ordinal));
        Assert.Contains("sqlite:.pipeline/pipeline.db", store);
        Assert.Contains("embedded profile default", store);
        Assert.False(Directory.Exists(P(".pipeline")), "config show must not create the data folder");
    }

    [Fact]
    public async Task ConfigShowJson_SecretSetOnCommandLine_PrintedAsStarsNeverInClear()
    {
        const string Secret = "hunter2-not-for-print";

        var json = await RunHereOkAsync("config", "show", "--json", "--set", $"Bus:Password={Secret}");
        var text = await RunHereOkAsync("config", "show", "--set", $"Bus:Password={Secret}");

        var rows = JsonArrayIn(json).EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal("***", rows["Pipeline:Bus:Password"].GetProperty("value").GetString());
        Assert.Equal("--set Bus:Password", rows["Pipeline:Bus:Password"].GetProperty("from").GetString());
        Assert.Equal("PIPELINE__BUS__PASSWORD", rows["Pipeline:Bus:Password"].GetProperty("environment").GetString());
        Assert.Equal("embedded profile default", rows["Pipeline:Store"].GetProperty("from").GetString());
        Assert.DoesNotContain(Secret, json);
        Assert.DoesNotContain(Secret, text);
        Assert.Contains("***", text);
    }

    [Fact]
    public async Task ConfigShow_MistypedKeyInAppsettings_Exits2NamingKeyFileAndSuggestion()
    {
        await File.WriteAllTextAsync(P("appsettings.json"), """{"Pipeline": {"Stroe": "sqlite:typo.db"}}""");

        var (code, output) = await RunHereAsync("config", "show");

        Assert.True(code == 2, output);
        Assert.Contains("pipeline: invalid configuration:", output);
        Assert.Contains($"Pipeline:Stroe (from {P("appsettings.json")}): no such setting; did you mean Pipeline:Store?", output);
    }

    [Fact]
    public async Task ConfigCheck_ServerProfileWithNothingElse_Exits2ListingStoreS3AndMlflowWithVariables()
    {
        var (code, output) = await RunHereAsync("--profile", "server", "config", "check");

        Assert.True(code == 2, output);
        Assert.Contains("pipeline: invalid configuration:", output);
        var problems = output.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Contains(problems, l => l.StartsWith("Pipeline:Store:", StringComparison.Ordinal) && l.Contains("PIPELINE__STORE", StringComparison.Ordinal));
        Assert.Contains(problems, l => l.StartsWith("Pipeline:S3:", StringComparison.Ordinal) && l.Contains("PIPELINE__S3__", StringComparison.Ordinal));
        Assert.Contains(problems, l => l.StartsWith("Pipeline:Mlflow:TrackingUri:", StringComparison.Ordinal) && l.Contains("PIPELINE__MLFLOW__TRACKINGURI", StringComparison.Ordinal));
        Assert.DoesNotContain("configuration is valid", output);
    }

    [Fact]
    public async Task ConfigShowJson_StoreInFileEnvironmentAndFlag_EachLaterLayerWins()
    {
        await File.WriteAllTextAsync(P("appsettings.json"), """{"Pipeline": {"Store": "sqlite:from-file.db"}}""");
        var env = new Dictionary<string, string?> { ["PIPELINE__STORE"] = "sqlite:from-env.db", ["PIPELINE_STORE"] = "sqlite:from-legacy-env.db" };

        var file = await StoreRowAsync(null);
        var environment = await StoreRowAsync(env);
        var flag = await StoreRowAsync(env, "--store", "sqlite:from-flag.db");

        Assert.Equal(("sqlite:from-file.db", P("appsettings.json")), file);
        Assert.Equal(("sqlite:from-env.db", "environment variable PIPELINE__STORE"), environment);
        Assert.Equal(("sqlite:from-flag.db", "--store"), flag);
    }

    [Fact]
    public async Task StoreOnlyVerb_ServerProfileWithUnreachablePostgres_Exits2AboutTheStoreNotS3OrMlflow()
    {
        var (code, output) = await RunHereAsync("--profile", "server", "--store", $"postgres://pipeline:secretpw@127.0.0.1:{ClosedPort()}/pipeline",
            "workflow", "list");

        Assert.True(code == 2, output);
        Assert.Contains("cannot open", output);
        Assert.DoesNotContain("invalid configuration", output);
        Assert.DoesNotContain("S3", output);
        Assert.DoesNotContain("Mlflow", output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secretpw", output);
    }

    [Fact]
    public async Task ConfigCheckConnect_RabbitMqOnClosedPort_Exits1WithBusFailed()
    {
        var port = ClosedPort();

        var (code, output) = await RunHereAsync("config", "check", "--connect", "--set", "Bus:Transport=RabbitMq", "--set", $"Bus:Port={port}");

        Assert.True(code == 1, output);
        var bus = output.Split('\n').Single(l => l.StartsWith("bus ", StringComparison.Ordinal));
        Assert.Contains($"RabbitMQ 127.0.0.1:{port}", bus);
        Assert.Contains("[FAILED:", bus);
        Assert.Contains("[reachable]", output.Split('\n').Single(l => l.StartsWith("artifacts ", StringComparison.Ordinal)));
        Assert.Contains("pipeline: a configured service is unreachable", output);
    }

    private async Task<(string? Value, string? From)> StoreRowAsync(IReadOnlyDictionary<string, string?>? env, params string[] extra)
    {
        var (code, output) = await RunHereAsync(env, ["config", "show", "--json", .. extra]);
        Assert.True(code == 0, output);
        var row = JsonArrayIn(output).EnumerateArray().Single(r => r.GetProperty("key").GetString() == "Pipeline:Store");
        return (row.GetProperty("value").GetString(), row.GetProperty("from").GetString());
    }
}
