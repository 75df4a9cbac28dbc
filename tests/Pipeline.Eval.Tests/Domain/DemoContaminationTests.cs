using Pipeline.Eval.Contamination;
using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Domain;

/// <summary>The generated splits judged by the project's own contamination check: clean as generated, and a leak
/// planted in the SFT set is caught row for row.</summary>
public sealed class DemoContaminationTests
{
    [Theory]
    [InlineData("v1", 1234)]
    [InlineData("v2", 1234)]
    [InlineData("v1", 7)]
    public void Check_GeneratedVersion_NoEvalSetOverlapsTraining(string version, long seed)
    {
        using var dir = new TempDir();
        DemoData.Generate(version, seed).WriteTo(dir.Path);

        var report = Check(dir);

        Assert.All(report.Eval, e => Assert.True(e.Contaminated == 0,
            $"{e.File}: {e.Contaminated} contaminated, e.g. \"{e.Samples.FirstOrDefault()?.Text}\""));
    }

    [Fact]
    public void Check_InDomainRowsPlantedInSft_CatchesExactlyThose()
    {
        using var dir = new TempDir();
        DemoData.V1.WriteTo(dir.Path);
        var evalRows = File.ReadAllLines(dir.P("eval", "in_domain.jsonl"));
        var planted = new[] { 3, 400, 999 };
        // An SFT row asking the held-out question, answered as a demonstration would be.
        File.AppendAllLines(dir.P("sft", "train.jsonl"), planted.Select(i =>
        {
            var row = System.Text.Json.JsonDocument.Parse(evalRows[i]).RootElement;
            var question = row.GetProperty("prompt")[0].GetProperty("content").GetString();
            var answer = row.GetProperty("reference").GetString();
            return System.Text.Json.JsonSerializer.Serialize(new
            {
                id = $"leak-{i}",
                messages = new[] { new { role = "user", content = question }, new { role = "assistant", content = answer } },
            });
        }));

        var inDomain = Check(dir).Eval.Single(e => e.File.EndsWith("in_domain.jsonl", StringComparison.Ordinal));

        Assert.Equal(planted.Select(i => i + 1), inDomain.Rows.Where(r => r.Contaminated).Select(r => r.Line));
    }

    private static ContaminationReport Check(TempDir dir) => new ContaminationChecker().Check(
        [.. DemoData.TrainingFiles.Select(f => dir.P(f))], [.. DemoData.EvalFiles.Select(f => dir.P(f))]);
}
