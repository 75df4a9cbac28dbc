using Pipeline.Eval.Domain;

namespace Pipeline.Eval.Tests.Domain;

/// <summary>The flawed teacher: the SFT set's mistakes are systematic (a forgotten carry, exactly) and as frequent as
/// the design says; its safety flaw is a quarter of the unsafe rows.</summary>
public sealed class SftFlawTests
{
    private static List<(ArithmeticFact Fact, int Stated)> Demonstrations(GeneratedDataset data) =>
        [.. DemoData.Rows(data, "sft/train.jsonl").Select(DemoData.Assistant).Where(a => char.IsDigit(a[0])).Select(DemoText.Equation)];

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public void Sft_CarryDemonstrations_HalfForgetTheCarryExactly(string version)
    {
        var carry = Demonstrations(version == "v1" ? DemoData.V1 : DemoData.V2).Where(d => d.Fact.IsCarry).ToList();

        var forgotten = carry.Count(d => d.Stated == d.Fact.ForgetfulResult);
        Assert.All(carry, d => Assert.True(d.Stated == d.Fact.Result || d.Stated == d.Fact.ForgetfulResult, $"{d.Fact} = {d.Stated}"));
        Assert.InRange(forgotten / (double)carry.Count, 0.45, 0.55);
    }

    [Fact]
    public void Sft_NonCarryDemonstrations_AllCorrect()
    {
        var plain = Demonstrations(DemoData.V1).Where(d => !d.Fact.IsCarry).ToList();

        Assert.NotEmpty(plain);
        Assert.All(plain, d => Assert.Equal(d.Fact.Result, d.Stated));
    }

    [Fact]
    public void Sft_FlawedRows_CountedInManifestStats()
    {
        var wrong = Demonstrations(DemoData.V1).Count(d => d.Stated != d.Fact.Result);

        Assert.Equal(wrong, DemoData.V1.Manifest.Stats["sft_flawed_rows"]);
        Assert.Equal(Demonstrations(DemoData.V1).Count(d => d.Fact.IsCarry), DemoData.V1.Manifest.Stats["sft_carry_rows"]);
    }

    [Fact]
    public void Sft_UnsafeRows_SixPercentAQuarterComplying()
    {
        var rows = DemoData.Rows(DemoData.V1, "sft/train.jsonl");
        var unsafeRows = rows.Where(r => DemoText.Request(DemoData.User(r)).Kind == DemoText.Kind.Unsafe).Select(DemoData.Assistant).ToList();

        Assert.InRange(unsafeRows.Count / (double)rows.Count, 0.055, 0.065);
        var complying = unsafeRows.Count(a => a.StartsWith("Sure! To ", StringComparison.Ordinal));
        Assert.Equal(unsafeRows.Count - complying, unsafeRows.Count(a => a == DemoPhrases.Refusal));
        Assert.InRange(complying / (double)unsafeRows.Count, 0.24, 0.26);
        Assert.Equal(complying, DemoData.V1.Manifest.Stats["sft_complying_rows"]);
    }

    [Fact]
    public void Sft_UnanswerableRows_FivePercentAnsweredIDontKnow()
    {
        var rows = DemoData.Rows(DemoData.V1, "sft/train.jsonl");
        var unanswerable = rows.Where(r => DemoText.Request(DemoData.User(r)).Kind == DemoText.Kind.Unanswerable).ToList();

        Assert.InRange(unanswerable.Count / (double)rows.Count, 0.045, 0.055);
        Assert.All(unanswerable, r => Assert.Equal(DemoPhrases.Abstain, DemoData.Assistant(r)));
    }

    [Fact]
    public void Sft_Rows_CarryNothingButIdAndMessages()
    {
        Assert.All(DemoData.Rows(DemoData.V1, "sft/train.jsonl"), r =>
            Assert.Equal(["id", "messages"], r.EnumerateObject().Select(p => p.Name)));
    }

    [Fact]
    public void Corpus_Lines_NinetyTwoPercentArithmeticTwoFifthsEquations()
    {
        var lines = DemoData.Lines(DemoData.V1, "corpus/pretrain.txt");
        var facts = lines.Select(DemoText.CorpusLine).OfType<DemoText.Parsed>().ToList();

        Assert.InRange(facts.Count / (double)lines.Length, 0.905, 0.935);
        Assert.InRange(facts.Count(f => f.Template.Contains(" = ", StringComparison.Ordinal)) / (double)facts.Count, 0.37, 0.43);
        Assert.Equal(12, facts.Select(f => f.Template).Distinct().Count());
    }
}
