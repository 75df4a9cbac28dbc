using Pipeline.Eval.Contamination;

using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Contamination;

public sealed class ContaminationCheckerTests
{
    private static readonly ContaminationChecker Checker = new();

    [Fact]
    public void Check_FiveEvalRowsCopiedIntoTraining_FlagsExactlyThoseFive()
    {
        using var dir = new TempDir();
        var eval = Rows.EvalFile(30);
        var train = Rows.TrainFile(200);
        int[] leaked = [3, 7, 11, 20, 29];
        // Planted at training lines 11, 51, 91, 131, 171.
        for (var k = 0; k < leaked.Length; k++)
        {
            train.Insert(10 + 40 * k, eval[leaked[k]]);
        }
        var evalPath = dir.WriteLines("eval.jsonl", eval);
        var trainPath = dir.WriteLines("train.jsonl", train);

        var result = Checker.Check([trainPath], [evalPath]).For(evalPath)!;

        Assert.Equal((30, 5), (result.Examples, result.Contaminated));
        Assert.Equal(leaked.Select(i => $"ev-{i}"), result.ContaminatedIds);
        Assert.Equal([11, 51, 91, 131, 171], result.Samples.Select(s => s.TrainLine));
        Assert.All(result.Samples, s => Assert.Equal(trainPath, s.TrainFile));
        Assert.Equal("what is 53 - 7", result.Samples[0].Text);
        Assert.Equal(4, result.Samples[0].EvalLine);
    }

    [Fact]
    public void Check_SameTemplatesDifferentOperands_FlagsNothing()
    {
        using var dir = new TempDir();
        var evalPath = dir.WriteLines("eval.jsonl", Rows.EvalFile(30));
        var trainPath = dir.WriteLines("train.jsonl", Rows.TrainFile(200));

        var report = Checker.Check([trainPath], [evalPath]);

        Assert.False(report.AnyContaminated, string.Join("\n", report.Eval[0].Samples));
        Assert.Equal(0.0, report.Eval[0].Rate);
    }

    [Fact]
    public void Check_CaseAndPunctuationDiffer_StillMatches()
    {
        using var dir = new TempDir();
        var evalPath = dir.WriteLines("eval.jsonl",
        [
            Rows.Eval("short", "What is 83 - 6?", "77"),
            Rows.Eval("long", "A farmer has 83 sheep and sells 6 of them at the market; how many are left?", "77"),
        ]);
        var trainPath = dir.WriteLines("train.txt",
        [
            "WHAT  is 83-6",
            "a FARMER has 83 sheep, and sells 6 of them at the market. How many are left",
        ]);

        var result = Checker.Check([trainPath], [evalPath]).Eval[0];

        Assert.Equal(["short", "long"], result.ContaminatedIds);
    }

    [Theory]
    [InlineData(0.5, true)]
    [InlineData(0.51, false)]
    public void Check_HalfTheNGramsInTraining_IsContaminatedAtThresholdOneHalfOnly(double threshold, bool contaminated)
    {
        // 9 words make 2 eight-word n-grams; training holds the first one only (its first 8 words): overlap 1/2.
        using var dir = new TempDir();
        var evalPath = dir.WriteLines("eval.jsonl", [Rows.Eval("q", "one two three four five six seven eight nine", "9")]);
        var trainPath = dir.WriteLines("train.txt", ["one two three four five six seven eight"]);

        var result = new ContaminationChecker(new ContaminationOptions { NGram = 8, Threshold = threshold }).Check([trainPath], [evalPath]).Eval[0];

        Assert.Equal(0.5, result.Rows[0].Overlap);
        Assert.Equal(contaminated ? 1 : 0, result.Contaminated);
    }

    [Fact]
    public void Check_ShortQuestionInsideALongerTrainingText_IsNotAWholeMatch()
    {
        // A question shorter than n words is compared whole, with whole training texts (fields, messages, lines).
        using var dir = new TempDir();
        var evalPath = dir.WriteLines("eval.jsonl", [Rows.Eval("q", "What is 83 - 6?", "77")]);
        var trainPath = dir.WriteLines("train.txt", ["What is 83 - 6? It is 77."]);

        Assert.False(Checker.Check([trainPath], [evalPath]).AnyContaminated);
    }

    [Fact]
    public void Check_MalformedTrainingLine_ThrowsNamingFileAndLine()
    {
        using var dir = new TempDir();
        var evalPath = dir.WriteLines("eval.jsonl", Rows.EvalFile(3));
        var train = Rows.TrainFile(4);
        train[2] = train[2][..^5];
        var trainPath = dir.WriteLines("train.jsonl", train);

        var e = Assert.Throws<EvalFormatException>(() => Checker.Check([trainPath], [evalPath]));

        Assert.StartsWith($"{trainPath}:3: not valid JSON", e.Message);
    }

    [Fact]
    public void Check_TwoTrainingFiles_CountsEachPairOnItsOwn()
    {
        using var dir = new TempDir();
        var eval = Rows.EvalFile(10);
        var evalPath = dir.WriteLines("eval.jsonl", eval);
        var a = dir.WriteLines("a.jsonl", [.. Rows.TrainFile(20), eval[1], eval[2]]);
        var b = dir.WriteLines("b.jsonl", [eval[2], eval[5], .. Rows.TrainFile(5)]);

        var report = Checker.Check([a, b], [evalPath]);

        Assert.Equal(["ev-1", "ev-2", "ev-5"], report.Eval[0].ContaminatedIds);
        Assert.Equal([2, 2], report.Overlaps.Select(o => o.Contaminated));
        Assert.Equal([(a, 22), (b, 7)], report.Train.Select(t => (t.File, t.Rows)));
        // ev-2 is in both: its sample names the first file that holds it.
        Assert.Equal((a, 22), (report.Eval[0].Samples[1].TrainFile, report.Eval[0].Samples[1].TrainLine));
    }

    [Fact]
    public void Check_MissingEvalFile_ThrowsNamingIt()
    {
        using var dir = new TempDir();
        var trainPath = dir.WriteLines("train.jsonl", Rows.TrainFile(3));

        var e = Assert.Throws<EvalFormatException>(() => Checker.Check([trainPath], [dir.File("none.jsonl")]));

        Assert.StartsWith(dir.File("none.jsonl") + ":", e.Message);
    }

    [Theory]
    [InlineData(0, 0.5)]
    [InlineData(8, 0)]
    [InlineData(8, 1.5)]
    public void Constructor_OptionsOutOfRange_Throw(int ngram, double threshold)
    {
        Assert.Throws<ArgumentException>(() => new ContaminationChecker(new ContaminationOptions { NGram = ngram, Threshold = threshold }));
    }
}
