using Pipeline.Infra.Bus;
using Pipeline.Infra.Configuration;

namespace Pipeline.Infra.Tests.Configuration;

public sealed class PipelineConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfigurationInputs Inputs(Dictionary<string, string?>? env = null, params (string Key, string Value)[] sets) => new()
    {
        WorkingDirectory = _dir,
        Environment = env ?? [],
        CommandLine = sets.Select(s => (PipelineConfiguration.FullKey(s.Key), s.Value, "--set")).ToList(),
    };

    private PipelineSettings Load(ConfigurationInputs inputs, PipelineComponents components = PipelineComponents.All) =>
        PipelineConfiguration.Load(PipelineConfiguration.Build(inputs), components);

    private static PipelineConfigurationException Fails(Action load) => Assert.Throws<PipelineConfigurationException>(load);

    [Fact]
    public void Load_NothingSet_EmbeddedProfileEverythingUnderDataDir()
    {
        var s = Load(Inputs());

        Assert.Equal(PipelineProfile.Embedded, s.Profile);
        Assert.Equal("sqlite:" + Path.Combine(".pipeline", "pipeline.db"), s.Store);
        Assert.Equal(ArtifactStoreKind.Local, s.Artifacts.Store);
        Assert.Equal(Path.Combine(".pipeline", "artifacts"), s.Artifacts.Root);
        Assert.Equal(TrackingStoreKind.Embedded, s.Tracking.Store);
        Assert.Equal(BusTransport.InMemory, s.Bus.Transport);
        Assert.Equal(Path.Combine(".pipeline", "outbox.db"), s.Bus.OutboxPath);
        Assert.Equal(Path.Combine(".pipeline", "logs", "pipeline-.clef"), s.Logging.FilePath);
    }

    [Fact]
    public void Load_DataDirSet_DefaultPathsFollowIt()
    {
        var s = Load(Inputs(new() { ["PIPELINE__DATADIR"] = "/srv/p" }));

        Assert.Equal("sqlite:/srv/p/pipeline.db", s.Store);
        Assert.Equal("/srv/p/artifacts", s.Artifacts.Root);
        Assert.Equal("/srv/p/outbox.db", s.Bus.OutboxPath);
    }

    [Fact]
    public void Load_ServerProfileWithEverything_PicksServerAdaptersAndBindsNestedTypes()
    {
        File.WriteAllText(Path.Combine(_dir, "appsettings.json"), """
            { "Pipeline": {
                "Profile": "server",
                "Store": "postgres://p:secret@db:5432/pipeline",
                "S3": { "ServiceUrl": "http://minio:9000", "Bucket": "pipeline", "PartSize": 8388608, "MultipartThreshold": 16777216 },
                "Mlflow": { "TrackingUri": "http://mlflow:5000/", "MaxBackoff": "00:00:30" },
                "Bus": { "Host": "rabbitmq", "RetryInterval": "00:00:01" },
                "Logging": { "Overrides": { "System.Net.Http": "Warning" }, "SeqUrl": "http://seq:5341" } } }
            """);

        var s = Load(Inputs());

        Assert.Equal(PipelineProfile.Server, s.Profile);
        Assert.Equal(ArtifactStoreKind.S3, s.Artifacts.Store);
        Assert.Equal(8388608, s.S3.PartSize);
        Assert.Equal(TrackingStoreKind.Mlflow, s.Tracking.Store);
        Assert.Equal(new Uri("http://mlflow:5000/"), s.Mlflow!.TrackingUri);
        Assert.Equal(TimeSpan.FromSeconds(30), s.Mlflow.MaxBackoff);
        Assert.Equal(BusTransport.RabbitMq, s.Bus.Transport);
        Assert.Equal("rabbitmq", s.Bus.Host);
        Assert.Equal(TimeSpan.FromSeconds(1), s.Bus.RetryInterval);
        Assert.Equal("Warning", s.Logging.Overrides["System.Net.Http"]);
    }

    [Fact]
    public void Build_LayersInOrder_CommandLineBeatsEnvironmentBeatsConfigFileBeatsAppsettings()
    {
        File.WriteAllText(Path.Combine(_dir, "appsettings.json"), """{ "Pipeline": { "Bus": { "RetryCount": 1, "Port": 1001, "Host": "a", "Username": "x" } } }""");
        File.WriteAllText(Path.Combine(_dir, "extra.json"), """{ "Pipeline": { "Bus": { "RetryCount": 2, "Port": 1002, "Host": "b" } } }""");
        var inputs = Inputs(new() { ["PIPELINE__BUS__RETRYCOUNT"] = "3", ["PIPELINE__BUS__PORT"] = "1003" }, ("Bus:RetryCount", "4")) with { ConfigFile = "extra.json" };

        var root = PipelineConfiguration.Build(inputs);
        var s = PipelineConfiguration.Load(root, PipelineComponents.All);

        Assert.Equal(4, s.Bus.RetryCount);
        Assert.Equal(1003, s.Bus.Port);
        Assert.Equal("b", s.Bus.Host);
        Assert.Equal("x", s.Bus.Username);
        Assert.Equal("--set", PipelineConfiguration.OriginOf(root, "Pipeline:Bus:RetryCount"));
        Assert.Equal("environment variable PIPELINE__BUS__PORT", PipelineConfiguration.OriginOf(root, "Pipeline:Bus:Port"));
        Assert.Equal(Path.Combine(_dir, "extra.json"), PipelineConfiguration.OriginOf(root, "Pipeline:Bus:Host"));
        Assert.Equal(Path.Combine(_dir, "appsettings.json"), PipelineConfiguration.OriginOf(root, "Pipeline:Bus:Username"));
        Assert.Equal("embedded profile default", PipelineConfiguration.OriginOf(root, "Pipeline:Bus:Transport"));
    }

    [Fact]
    public void Build_ProfileFromEnvironment_ReadsTheProfileFileToo()
    {
        File.WriteAllText(Path.Combine(_dir, "appsettings.server.json"), """{ "Pipeline": { "Tracking": { "Experiment": "prod" } } }""");

        var root = PipelineConfiguration.Build(Inputs(new() { ["PIPELINE_PROFILE"] = "Server" }));
        var s = PipelineConfiguration.Load(root, PipelineComponents.None);

        Assert.Equal(PipelineProfile.Server, s.Profile);
        Assert.Equal("prod", s.Tracking.Experiment);
    }

    [Fact]
    public void Build_LegacyStoreVariable_IsUsedButTheDoubleUnderscoreOneWins()
    {
        Assert.Equal("sqlite:/a.db", Load(Inputs(new() { ["PIPELINE_STORE"] = "sqlite:/a.db" })).Store);
        Assert.Equal("sqlite:/b.db", Load(Inputs(new() { ["PIPELINE_STORE"] = "sqlite:/a.db", ["PIPELINE__STORE"] = "sqlite:/b.db" })).Store);
    }

    [Fact]
    public void Load_ServerProfileMissingEverything_ListsEachRequiredSettingWithItsVariable()
    {
        var e = Fails(() => Load(Inputs(new() { ["PIPELINE_PROFILE"] = "server" })));

        var keys = e.Problems.Select(p => p.Key).ToList();
        Assert.Contains("Pipeline:Store", keys);
        Assert.Contains("Pipeline:S3", keys);
        Assert.Contains("Pipeline:Mlflow:TrackingUri", keys);
        Assert.Contains("PIPELINE__MLFLOW__TRACKINGURI", e.Message);
        Assert.Contains("PIPELINE__STORE", e.Message);
        Assert.Contains("ServiceUrl", e.Message);
    }

    [Fact]
    public void Load_ServerProfileOnSqlite_SaysPostgresIsNeededAndWhereSqliteCameFrom()
    {
        var e = Fails(() => Load(Inputs(new() { ["PIPELINE_PROFILE"] = "server", ["PIPELINE__STORE"] = "sqlite:x.db" }), PipelineComponents.Store));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("Pipeline:Store", problem.Key);
        Assert.Equal("environment variable PIPELINE__STORE", problem.Origin);
        Assert.Contains("needs PostgreSQL", problem.Message);
    }

    [Fact]
    public void Load_OnlyTheStoreAsked_ServerAdaptersAreNotRequired()
    {
        var s = Load(Inputs(new() { ["PIPELINE_PROFILE"] = "server", ["PIPELINE__STORE"] = "postgres://u:p@h/db" }), PipelineComponents.Store);

        Assert.Equal("postgres://u:p@h/db", s.Store);
    }

    [Fact]
    public void Load_MistypedKey_NamesItTheFileAndTheLikelyKey()
    {
        File.WriteAllText(Path.Combine(_dir, "appsettings.json"), """{ "Pipeline": { "S3": { "Bukcet": "x" } } }""");

        var e = Fails(() => Load(Inputs()));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("Pipeline:S3:Bukcet", problem.Key);
        Assert.Equal(Path.Combine(_dir, "appsettings.json"), problem.Origin);
        Assert.Contains("did you mean Pipeline:S3:Bucket?", problem.Message);
    }

    [Fact]
    public void Load_BadValues_ReportsEveryOneWithWhatWasExpected()
    {
        var e = Fails(() => Load(Inputs(new() { ["PIPELINE__BUS__PORT"] = "http" }, ("Profile", "cloud"), ("Bus:RetryInterval", "soon"), ("Logging:Console", "yes please"))));

        Assert.Equal(4, e.Problems.Count);
        Assert.Contains(e.Problems, p => p.Key == "Pipeline:Bus:Port" && p.Message.Contains("a whole number") && p.Origin == "environment variable PIPELINE__BUS__PORT");
        Assert.Contains(e.Problems, p => p.Key == "Pipeline:Profile" && p.Message.Contains("one of: Embedded, Server"));
        Assert.Contains(e.Problems, p => p.Key == "Pipeline:Bus:RetryInterval" && p.Message.Contains("00:00:30"));
        Assert.Contains(e.Problems, p => p.Key == "Pipeline:Logging:Console" && p.Message.Contains("true or false"));
    }

    [Fact]
    public void Load_SecretWithBadValue_IsNotEchoed()
    {
        File.WriteAllText(Path.Combine(_dir, "appsettings.json"), """{ "Pipeline": { "Mlflow": { "TrackingUri": "http://m/", "MaxRetries": "x" }, "Bus": { "Password": "hunter2" } } }""");

        var e = Fails(() => Load(Inputs()));

        Assert.DoesNotContain("hunter2", e.Message);
        Assert.Single(e.Problems);
    }

    [Fact]
    public void Load_AdapterRuleBroken_ReportsTheAdaptersOwnMessageUnderItsSection()
    {
        var e = Fails(() => Load(Inputs(new() { ["PIPELINE__LOGGING__MINIMUMLEVEL"] = "Loud" })));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("Pipeline:Logging", problem.Key);
        Assert.Contains("MinimumLevel 'Loud' is not a level", problem.Message);
    }

    [Fact]
    public void Build_MalformedJson_NamesTheFileAndLine()
    {
        File.WriteAllText(Path.Combine(_dir, "appsettings.json"), "{ \"Pipeline\": {\n  \"Store\": \n} }");

        var e = Fails(() => PipelineConfiguration.Build(Inputs()));

        Assert.Contains("appsettings.json", e.Message);
        Assert.Contains("not valid JSON", e.Message);
        Assert.Contains("at line 3", e.Message);
    }

    [Fact]
    public void Build_MissingConfigFile_SaysWhichPath()
    {
        var e = Fails(() => PipelineConfiguration.Build(Inputs() with { ConfigFile = "nope.json" }));

        Assert.Equal("--config", Assert.Single(e.Problems).Key);
        Assert.Contains(Path.Combine(_dir, "nope.json"), e.Message);
    }

    [Theory]
    [InlineData("s3:bucket", "Pipeline:s3:bucket")]
    [InlineData("S3__Bucket", "Pipeline:S3:Bucket")]
    [InlineData("Pipeline:Store", "Pipeline:Store")]
    public void FullKey_AnySpelling_IsUnderPipeline(string key, string expected) =>
        Assert.Equal(expected, PipelineConfiguration.FullKey(key));
}
