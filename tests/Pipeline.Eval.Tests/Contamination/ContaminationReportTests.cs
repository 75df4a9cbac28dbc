using Pipeline.Eval.Contamination;

using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Contamination;

public sealed class ContaminationReportTests
{
    [Fact]
    public void SaveLoad_RoundTrip_KeepsCountsIdsAndSamples()
    {
        using var dir = new TempDir();
        var eval = Rows.EvalFile(6);
        var evalPath = dir.WriteLines("eval.jsonl", eval);
        var trainPath = dir.WriteLines("train.jsonl", [eval[4], .. Rows.TrainFile(3)]);
        var report = new ContaminationChecker().Check([trainPath], [evalPath]);

        report.Save(dir.File("report.json"));
        var loaded = ContaminationReport.Load(dir.File("report.json"));

        Assert.Equal((13, 0.5), (loaded.NGram, loaded.Threshold));
        Assert.Equal(report.Train, loaded.Train);
        Assert.Equal(report.Overlaps, loaded.Overlaps);
        Assert.Equal((6, 1, 1.0 / 6), (loaded.Eval[0].Examples, loaded.Eval[0].Contaminated, loaded.Eval[0].Rate));
        Assert.Equal(["ev-4"], loaded.Eval[0].ContaminatedIds);
        Assert.Equal(report.Eval[0].Samples, loaded.Eval[0].Samples);
    }

    [Fact]
    public void ToJson_UsesTheEvalConventions()
    {
        using var dir = new TempDir();
        var evalPath = dir.WriteLines("eval.jsonl", Rows.EvalFile(2));
        var trainPath = dir.WriteLines("train.jsonl", Rows.TrainFile(2));

        var json = new ContaminationChecker().Check([trainPath], [evalPath]).ToJson();

        Assert.Contains("\"schema\": \"pipeline.contamination/v1\"", json);
        Assert.Contains("\"ngram\": 13", json);
        Assert.Contains("\"contaminated_ids\": []", json);
        Assert.Contains("\"ngrams\": ", json);
        Assert.DoesNotContain("\"matched\"", json); // per-example rows stay in memory
    }

    [Fact]
    public void Load_WrongSchema_ThrowsNamingTheFile()
    {
        using var dir = new TempDir();
        var path = dir.Write("report.json", """{"schema": "pipeline.eval/v1", "train": [], "eval": [], "overlaps": []}""");

        var e = Assert.Throws<EvalFormatException>(() => ContaminationReport.Load(path));

        Assert.StartsWith($"{path}: expected schema", e.Message);
    }
}
