using Pipeline.Eval.Domain;
using Pipeline.ML.Rewards;

namespace Pipeline.Eval.Tests.Domain;

/// <summary>The eval files: references that agree with the answers, the mix each file promises, and rule-chosen
/// golden items.</summary>
public sealed class EvalFilesTests
{
    private static RewardInput Input(System.Text.Json.JsonElement row, string completion)
    {
        var columns = row.EnumerateObject().Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.String)
            .ToDictionary(p => p.Name, p => p.Value.GetString()!);
        return new RewardInput(DemoData.Str(row, "id")!, DemoData.User(row), completion, columns);
    }

    [Fact]
    public void EvalRows_Reference_AgreesWithAnswerAndBehavior()
    {
        foreach (var path in DemoData.EvalPromptFiles)
        {
            foreach (var row in DemoData.Rows(DemoData.V1, path))
            {
                var reference = DemoData.Str(row, "reference")!;
                var parsed = DemoText.Request(DemoData.User(row));
                var expected = parsed.Kind switch
                {
                    DemoText.Kind.Unsafe => DemoPhrases.Refusal,
                    DemoText.Kind.Unanswerable => DemoPhrases.Abstain,
                    _ => parsed.Fact!.Value.Reference,
                };
                Assert.Equal(expected, reference);
                if (DemoData.Str(row, "answer") is { } answer)
                {
                    Assert.Equal(answer, DemoText.Equation(reference).C.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }
                Assert.True(DemoVerifier.Correct(Input(row, reference)), $"{path}: the verifier rejects the reference of {row}");
            }
        }
    }

    [Fact]
    public void Ood_EveryPrompt_UnseenPhrasing_InDomain_SftPhrasing()
    {
        Assert.All(DemoData.Rows(DemoData.V1, "eval/ood.jsonl"), r => Assert.Equal(DemoText.Kind.UnseenArithmetic, DemoText.Request(DemoData.User(r)).Kind));
        Assert.All(DemoData.Rows(DemoData.V1, "eval/in_domain.jsonl"), r => Assert.Equal(DemoText.Kind.SftArithmetic, DemoText.Request(DemoData.User(r)).Kind));
    }

    [Fact]
    public void Refusal_EveryHeldOutActInAllEightTemplates_PlusAsManyBenign()
    {
        var parsed = DemoData.Rows(DemoData.V1, "eval/refusal.jsonl").Select(r => (Behavior: DemoData.Str(r, "behavior"), P: DemoText.Request(DemoData.User(r)))).ToList();

        var refuse = parsed.Where(p => p.Behavior == DemoBehavior.Refuse).Select(p => (p.P.Act, p.P.Template)).ToHashSet();
        Assert.Equal(DemoData.Split.HeldOutActs.Count * 8, refuse.Count);
        Assert.Equal(refuse.Count, parsed.Count(p => p.Behavior == DemoBehavior.Answer && p.P.Kind == DemoText.Kind.SftArithmetic));
    }

    [Fact]
    public void Calibration_HalfAbstainHalfAnswer_UnseenTemplatesIncluded()
    {
        var rows = DemoData.Rows(DemoData.V1, "eval/calibration.jsonl");

        Assert.Equal(150, rows.Count(r => DemoData.Str(r, "behavior") == DemoBehavior.Abstain));
        Assert.Equal(150, rows.Count(r => DemoData.Str(r, "behavior") == DemoBehavior.Answer));
        var templates = rows.Select(r => DemoText.Request(DemoData.User(r))).Where(p => p.Kind == DemoText.Kind.Unanswerable).Select(p => p.Template).ToHashSet();
        Assert.Superset(DemoData.Split.HeldOutUnanswerable.ToHashSet(), templates);
    }

    [Fact]
    public void Golden_Items_EdgesCarriesRefusalsAbstentionsFromHeldOutPairs()
    {
        var parsed = DemoData.Rows(DemoData.V1, "eval/golden.jsonl").Select(r => DemoText.Request(DemoData.User(r))).ToList();
        var facts = parsed.Where(p => p.Fact is not null).Select(p => p.Fact!.Value).ToList();

        Assert.Equal(facts.Count, facts.Distinct().Count());
        Assert.Contains(facts, f => f.Result >= 100);
        Assert.Contains(facts, f => f.Op == ArithmeticOp.Sub && f.Result < 10);
        Assert.InRange(facts.Count(f => f.IsCarry), 16, 40);
        Assert.InRange(facts.Count(f => !f.IsCarry), 16, 40);
        Assert.Equal(6, parsed.Count(p => p.Kind == DemoText.Kind.Unsafe));
        Assert.Equal(6, parsed.Count(p => p.Kind == DemoText.Kind.Unanswerable));
        Assert.Equal(DemoData.Lines(DemoData.V1, "eval/golden.jsonl"), DemoData.Lines(DemoData.Generate("v2", corpusLines: 10), "eval/golden.jsonl"));
    }

    [Fact]
    public void RawHeldOut_EveryHeldOutEquation_AsAPlainStringPrompt()
    {
        var rows = DemoData.Rows(DemoData.V1, "eval/raw_heldout.jsonl");

        var prompts = rows.Select(r => DemoData.Str(r, "prompt")).ToHashSet();
        Assert.All(DemoData.Split.HeldOutFacts, f => Assert.Contains(f.RawPrompt, prompts));
    }

    [Fact]
    public void PreferencePairs_CarryPairsRejectTheForgottenCarry_RefusalPairsRejectCompliance()
    {
        foreach (var row in DemoData.Rows(DemoData.V1, "eval/preference_pairs.jsonl"))
        {
            var chosen = row.GetProperty("chosen")[0].GetProperty("content").GetString()!;
            var rejected = row.GetProperty("rejected")[0].GetProperty("content").GetString()!;
            var parsed = DemoText.Request(DemoData.User(row));
            if (parsed.Fact is { } fact)
            {
                Assert.True(fact.IsCarry && DemoData.Split.IsHeldOut(fact), $"{fact}");
                Assert.Equal((fact.Reference, fact.Equation(fact.ForgetfulResult)), (chosen, rejected));
            }
            else
            {
                Assert.Equal(DemoText.Kind.Unsafe, parsed.Kind);
                Assert.Equal(DemoPhrases.Refusal, chosen);
                Assert.StartsWith("Sure! To " + parsed.Act, rejected);
            }
        }
    }
}
