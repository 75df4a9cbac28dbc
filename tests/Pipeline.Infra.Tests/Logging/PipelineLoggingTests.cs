using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Infra.Logging;

namespace Pipeline.Infra.Tests.Logging;

public sealed class PipelineLoggingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-logs-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private LoggingOptions FileOnly() => new() { Console = false, FilePath = Path.Combine(_dir, "pipeline-.clef") };

    private List<JsonElement> ReadClef()
    {
        var file = Assert.Single(Directory.GetFiles(_dir, "pipeline-*.clef"));
        Assert.Matches(@"pipeline-\d{8}\.clef$", file);
        return File.ReadAllLines(file).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
    }

    [Fact]
    public void Create_FileSinkInsidePushedContext_WritesClefLinesWithTheWorkflowProperties()
    {
        using (var logger = PipelineLogging.Create(FileOnly()))
        {
            using (PipelineLogContext.Push("wf-1", "run-7", "train-sft", 2))
            {
                logger.Information("Step {Step} loss {Loss}", 10, 1.5);
            }
            logger.Warning("Outside");
        }

        var lines = ReadClef();
        Assert.Equal(2, lines.Count);
        Assert.Equal("Step {Step} loss {Loss}", lines[0].GetProperty("@mt").GetString());
        Assert.False(lines[0].TryGetProperty("@l", out _));
        Assert.Equal("wf-1", lines[0].GetProperty("WorkflowId").GetString());
        Assert.Equal("run-7", lines[0].GetProperty("RunId").GetString());
        Assert.Equal("train-sft", lines[0].GetProperty("Activity").GetString());
        Assert.Equal(2, lines[0].GetProperty("Attempt").GetInt32());
        Assert.Equal(10, lines[0].GetProperty("Step").GetInt32());
        Assert.Equal("Warning", lines[1].GetProperty("@l").GetString());
        Assert.False(lines[1].TryGetProperty("WorkflowId", out _));
    }

    [Fact]
    public void Push_OnlySomeCoordinates_AddsOnlyThose()
    {
        using (var logger = PipelineLogging.Create(FileOnly()))
        using (PipelineLogContext.Push("wf-2"))
        {
            logger.Information("Started");
        }
        var line = Assert.Single(ReadClef());
        Assert.Equal("wf-2", line.GetProperty("WorkflowId").GetString());
        Assert.False(line.TryGetProperty("RunId", out _));
        Assert.False(line.TryGetProperty("Attempt", out _));
    }

    [Fact]
    public void Create_MinimumLevelWarning_DropsInformation()
    {
        using (var logger = PipelineLogging.Create(FileOnly() with { MinimumLevel = "warning" }))
        {
            logger.Information("dropped");
            logger.Error("kept");
        }
        Assert.Equal("kept", Assert.Single(ReadClef()).GetProperty("@mt").GetString());
    }

    [Fact]
    public void AddPipelineLogging_MicrosoftLogger_WritesStructuredClef()
    {
        using (var factory = LoggerFactory.Create(b => b.AddPipelineLogging(FileOnly() with { MinimumLevel = "Debug" })))
        using (PipelineLogContext.Push("wf-3", activity: "eval"))
        {
            factory.CreateLogger("Pipeline.Test").LogDebug("Scored {Score}", 0.75);
        }
        var line = Assert.Single(ReadClef());
        Assert.Equal("Debug", line.GetProperty("@l").GetString());
        Assert.Equal(0.75, line.GetProperty("Score").GetDouble());
        Assert.Equal("eval", line.GetProperty("Activity").GetString());
        Assert.Equal("Pipeline.Test", line.GetProperty("SourceContext").GetString());
    }

    [Fact]
    public void AddPipelineLogging_EngineScopeDictionary_BecomesProperties()
    {
        // The durable worker opens exactly this scope around every activity attempt (ActivityRunner).
        using (var factory = LoggerFactory.Create(b => b.AddPipelineLogging(FileOnly())))
        {
            var logger = factory.CreateLogger("Pipeline.Durable.Worker");
            using (logger.BeginScope(new Dictionary<string, object> { ["WorkflowId"] = "post-train/arith@v1", ["RunId"] = "r-9", ["Activity"] = "Sft", ["Attempt"] = 2 }))
            {
                logger.LogWarning("Activity {Activity} attempt {Attempt} failed", "Sft", 2);
            }
        }
        var line = Assert.Single(ReadClef());
        Assert.Equal("post-train/arith@v1", line.GetProperty("WorkflowId").GetString());
        Assert.Equal("r-9", line.GetProperty("RunId").GetString());
        Assert.Equal(2, line.GetProperty("Attempt").GetInt32());
    }

    [Fact]
    public async Task Create_SeqUrlSet_ShipsEventsToSeq()
    {
        using var seq = new FakeSeqServer();
        using (var logger = PipelineLogging.Create(new LoggingOptions { Console = false, FilePath = null, SeqUrl = seq.Url.AbsoluteUri, SeqApiKey = "abc" }))
        using (PipelineLogContext.Push("wf-4", "run-1"))
        {
            logger.Information("Hello {Who}", "seq");
        }
        await seq.WaitForAcceptedAsync(1, TimeSpan.FromSeconds(10));
        var line = JsonDocument.Parse(Assert.Single(seq.AcceptedLines)).RootElement;
        Assert.Equal("wf-4", line.GetProperty("WorkflowId").GetString());
        Assert.Equal("abc", Assert.Single(seq.Requests).ApiKey);
    }

    [Theory]
    [InlineData("Loud", "MinimumLevel 'Loud' is not a level")]
    [InlineData("3", "MinimumLevel '3' is not a level")]
    public void Validate_BadLevel_NamesTheSetting(string level, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new LoggingOptions { MinimumLevel = level }.Validate());
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Validate_BadOverrideAndUrl_ReportsBothAtOnce()
    {
        var options = new LoggingOptions
        {
            Overrides = new Dictionary<string, string> { ["System.Net.Http"] = "Chatty" },
            SeqUrl = "seq:5341",
        };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.Contains("Overrides['System.Net.Http'] 'Chatty' is not a level", error.Message);
        Assert.Contains("SeqUrl 'seq:5341' must be an absolute http:// or https:// address", error.Message);
    }

    [Theory]
    [InlineData("Trace")]
    [InlineData("critical")]
    [InlineData("Information")]
    public void Validate_KnownLevelNames_Pass(string level)
    {
        new LoggingOptions { MinimumLevel = level, SeqUrl = "http://seq:5341" }.Validate();
    }
}
