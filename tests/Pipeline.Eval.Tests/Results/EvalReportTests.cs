using Pipeline.Eval.Results;

using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Results;

public sealed class EvalReportTests
{
    private static EvalReport Report() => new()
    {
        Model = "runs/sft",
        Adapter = "runs/sft/adapter",
        CreatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Bootstrap = new BootstrapSettings(1000, 42, 0.95),
        Suites =
        [
            new SuiteResult
            {
                Name = "in_domain", Axis = "in_domain", Task = "generation", Dataset = "data/eval.jsonl", Examples = 3,
                ExamplesFile = "examples/in_domain.jsonl",
                Metrics = new Dictionary<string, MetricResult>
                {
                    ["accuracy"] = new(2.0 / 3, 0.25, 1.0, 3),
                    ["refusal_rate"] = new(double.NaN, null, null, 0),
                },
            },
        ],
    };

    [Fact]
    public void SaveLoad_RoundTrip_KeepsEveryMetric()
    {
        using var dir = new TempDir();
        Report().Save(dir.Path);

        var loaded = EvalReport.Load(dir.Path);

        Assert.Equal(("runs/sft", "runs/sft/adapter", 42UL), (loaded.Model, loaded.Adapter, loaded.Bootstrap.Seed));
        Assert.Equal(new MetricResult(2.0 / 3, 0.25, 1.0, 3), loaded.Metric("in_domain/accuracy"));
        Assert.Equal(dir.Path, loaded.Directory);
    }

    [Fact]
    public void Save_NaNValue_IsWrittenAsNullAndReadBackAsNaN()
    {
        using var dir = new TempDir();
        Report().Save(dir.Path);

        Assert.Contains("\"value\": null", File.ReadAllText(dir.File(EvalReport.FileName)));
        Assert.True(double.IsNaN(EvalReport.Load(dir.File(EvalReport.FileName)).Metric("in_domain/refusal_rate")!.Value));
    }

    [Theory]
    [InlineData("in_domain/accuracy", true)]
    [InlineData("in_domain/ece", false)]
    [InlineData("ood/accuracy", false)]
    [InlineData("accuracy", false)]
    [InlineData("/accuracy", false)]
    public void Metric_SuiteSlashMetric_FindsOnlyWhatTheRunHas(string key, bool found)
    {
        Assert.Equal(found, Report().Metric(key) is not null);
    }

    [Fact]
    public void Load_MissingFile_ThrowsNamingTheFile()
    {
        using var dir = new TempDir();

        var e = Assert.Throws<EvalFormatException>(() => EvalReport.Load(dir.File("nowhere.json")));

        Assert.StartsWith(dir.File("nowhere.json") + ":", e.Message);
    }

    [Fact]
    public void Load_BadJson_ThrowsNamingTheFile()
    {
        using var dir = new TempDir();
        var path = dir.Write("eval.json", "{\"schema\": \"pipeline.eval/v1\", \"model\": ");

        var e = Assert.Throws<EvalFormatException>(() => EvalReport.Load(path));

        Assert.StartsWith(path + ": not a valid eval report", e.Message);
    }

    [Fact]
    public void Load_WrongSchema_ThrowsNamingTheFileAndBothSchemas()
    {
        using var dir = new TempDir();
        Report().Save(dir.Path);
        var path = dir.File(EvalReport.FileName);
        File.WriteAllText(path, File.ReadAllText(path).Replace("pipeline.eval/v1", "pipeline.eval/v0"));

        var e = Assert.Throws<EvalFormatException>(() => EvalReport.Load(path));

        Assert.StartsWith(path + ":", e.Message);
        Assert.Contains("\"pipeline.eval/v1\"", e.Message);
        Assert.Contains("\"pipeline.eval/v0\"", e.Message);
    }
}
