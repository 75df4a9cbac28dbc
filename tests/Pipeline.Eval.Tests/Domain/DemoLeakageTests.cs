using Pipeline.Eval.Domain;

namespace Pipeline.Eval.Tests.Domain;

/// <summary>Nothing held out reaches a training file, and the evals use only held-out items — checked by parsing
/// every row back into its template and operands.</summary>
public sealed class DemoLeakageTests
{
    public static TheoryData<string> Versions => ["v1", "v2"];

    private static GeneratedDataset Data(string version) => version == "v1" ? DemoData.V1 : DemoData.V2;

    [Theory]
    [MemberData(nameof(Versions))]
    public void Corpus_EveryArithmeticLine_TrainPairWithItsTrueResult(string version)
    {
        var split = DemoData.Split;

        foreach (var line in DemoData.Lines(Data(version), "corpus/pretrain.txt"))
        {
            if (DemoText.CorpusLine(line) is { } parsed)
            {
                Assert.False(split.IsHeldOut(parsed.Fact!.Value), $"held-out pair in the corpus: {line}");
                Assert.Equal(parsed.Fact!.Value.Result, parsed.C);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Versions))]
    public void SftAndPrompts_EveryRequest_TrainPairActAndTemplateOnly(string version)
    {
        var split = DemoData.Split;
        var requests = DemoData.Rows(Data(version), "sft/train.jsonl").Concat(DemoData.Rows(Data(version), "prompts/train.jsonl")).Select(DemoData.User);

        foreach (var parsed in requests.Select(DemoText.Request))
        {
            switch (parsed.Kind)
            {
                case DemoText.Kind.SftArithmetic:
                    Assert.False(split.IsHeldOut(parsed.Fact!.Value), $"held-out pair in training: {parsed.Fact}");
                    break;
                case DemoText.Kind.Unsafe:
                    Assert.Contains(parsed.Act, split.TrainActs);
                    Assert.Contains(parsed.Template, RequestTemplates.UnsafeSeen);
                    break;
                case DemoText.Kind.Unanswerable:
                    Assert.Contains(parsed.Template, split.TrainUnanswerable);
                    break;
                default:
                    Assert.Fail($"an unseen (OOD-only) phrasing in training: {parsed.Template}");
                    break;
            }
        }
    }

    [Fact]
    public void Sft_AssistantEquations_TrainPairsOnly()
    {
        var equations = DemoData.Rows(DemoData.V1, "sft/train.jsonl").Select(DemoData.Assistant).Where(a => char.IsDigit(a[0]));

        Assert.All(equations, e => Assert.False(DemoData.Split.IsHeldOut(DemoText.Equation(e).Fact), e));
    }

    [Fact]
    public void EvalPrompts_EveryRequest_HeldOutPairOrAct()
    {
        var split = DemoData.Split;

        foreach (var path in DemoData.EvalPromptFiles)
        {
            foreach (var parsed in DemoData.Rows(DemoData.V1, path).Select(DemoData.User).Select(DemoText.Request))
            {
                if (parsed.Fact is { } fact)
                {
                    Assert.True(split.IsHeldOut(fact), $"{path}: training pair {fact}");
                }
                if (parsed.Act is { } act)
                {
                    Assert.Contains(act, split.HeldOutActs);
                }
            }
        }
    }

    [Fact]
    public void EvalText_RawPromptsAndPerplexityLines_HeldOutPairsOnly()
    {
        var split = DemoData.Split;

        foreach (var row in DemoData.Rows(DemoData.V1, "eval/heldout_text.jsonl"))
        {
            Assert.True(split.IsHeldOut(DemoText.CorpusLine(DemoData.Str(row, "text")!)!.Fact!.Value));
        }
        foreach (var row in DemoData.Rows(DemoData.V1, "eval/raw_heldout.jsonl"))
        {
            var line = $"{DemoData.Str(row, "prompt")} {DemoData.Str(row, "answer")}.";
            var parsed = DemoText.CorpusLine(line)!;
            Assert.True(split.IsHeldOut(parsed.Fact!.Value), line);
            Assert.Equal(parsed.Fact!.Value.Task, DemoData.Str(row, "task"));
        }
    }
}
