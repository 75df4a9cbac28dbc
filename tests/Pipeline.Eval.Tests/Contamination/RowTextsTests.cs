using Pipeline.Eval.Contamination;

using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Contamination;

/// <summary>Which fields are checked: every text of a training row, in each format; only the question of an eval row.</summary>
public sealed class RowTextsTests
{
    private const string Question = "What is 83 - 6?";

    private static readonly ContaminationChecker Checker = new();

    [Theory]
    [InlineData("""{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is 83 - 6?"}, {"role": "assistant", "content": "77"}]}""")]
    [InlineData("""{"prompt": "What is 83 - 6?"}""")]
    [InlineData("""{"prompt": [{"role": "user", "content": "What is 83 - 6?"}], "completion": [{"role": "assistant", "content": "77"}]}""")]
    [InlineData("""{"prompt": [{"role": "user", "content": "Hi"}], "chosen": [{"role": "assistant", "content": "What is 83 - 6?"}], "rejected": "no"}""")]
    [InlineData("""{"prompt": "Hi", "chosen": "77", "rejected": "What is 83 - 6?"}""")]
    [InlineData("""{"text": "What is 83 - 6?"}""")]
    public void Check_TrainingRowInAnyFormatHoldingTheQuestion_IsALeak(string trainRow)
    {
        using var dir = new TempDir();
        var evalPath = dir.WriteLines("eval.jsonl", [Rows.Eval("q", Question, "77")]);
        var trainPath = dir.WriteLines("train.jsonl", [trainRow]);

        Assert.Equal(["q"], Checker.Check([trainPath], [evalPath]).Eval[0].ContaminatedIds);
    }

    [Theory]
    [InlineData("""{"id": "q", "prompt": "What is 83 - 6?", "answer": "77"}""")]
    [InlineData("""{"id": "q", "messages": [{"role": "user", "content": "What is 83 - 6?"}, {"role": "assistant", "content": "It is 77."}]}""")]
    [InlineData("""{"id": "q", "text": "What is 83 - 6?"}""")]
    public void Check_EvalRowInAnyFormat_ChecksItsQuestion(string evalRow)
    {
        using var dir = new TempDir();
        var evalPath = dir.WriteLines("eval.jsonl", [evalRow]);
        var trainPath = dir.WriteLines("train.txt", [Question]);

        Assert.Equal(["q"], Checker.Check([trainPath], [evalPath]).Eval[0].ContaminatedIds);
    }

    [Theory]
    [InlineData("""{"id": "q", "prompt": "What is 50 - 7?", "answer": "83 - 6 = 77.", "reference": "83 - 6 = 77."}""")]
    [InlineData("""{"id": "q", "messages": [{"role": "user", "content": "What is 50 - 7?"}, {"role": "assistant", "content": "83 - 6 = 77."}]}""")]
    public void Check_OnlyTheEvalRowsExpectedAnswerInTraining_IsNoLeak(string evalRow)
    {
        using var dir = new TempDir();
        var evalPath = dir.WriteLines("eval.jsonl", [evalRow]);
        var trainPath = dir.WriteLines("train.txt", ["83 - 6 = 77."]);

        Assert.False(Checker.Check([trainPath], [evalPath]).AnyContaminated);
    }

    [Fact]
    public void Check_EvalRowsWithoutId_AreKnownByLineNumber()
    {
        using var dir = new TempDir();
        var evalPath = dir.WriteLines("eval.txt", ["What is 50 - 7?", "", Question]);
        var trainPath = dir.WriteLines("train.txt", [Question]);

        var result = Checker.Check([trainPath], [evalPath]).Eval[0];

        Assert.Equal(["3"], result.ContaminatedIds);
        Assert.Equal((1.0, 0.0), (result.ContaminatedScore("3"), result.ContaminatedScore("1")));
    }

    [Theory]
    [InlineData("""{"id": "x", "answer": "77"}""", "no text to check")]
    [InlineData("""[1, 2]""", "expected a JSON object")]
    [InlineData("""{"messages": [{"role": "user", "content": 5}]}""", "messages[0].content: expected a string")]
    [InlineData("""{"prompt": 83}""", "prompt: expected a string or a list of messages")]
    public void Check_TrainingRowWithoutUsableText_ThrowsNamingFileAndLine(string trainRow, string reason)
    {
        using var dir = new TempDir();
        var evalPath = dir.WriteLines("eval.jsonl", [Rows.Eval("q", Question, "77")]);
        var trainPath = dir.WriteLines("train.jsonl", [Rows.Sft("ok", "Hi", "Hello"), trainRow]);

        var e = Assert.Throws<EvalFormatException>(() => Checker.Check([trainPath], [evalPath]));

        Assert.StartsWith($"{trainPath}:2: ", e.Message);
        Assert.Contains(reason, e.Message);
    }
}
