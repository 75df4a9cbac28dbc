using Pipeline.ML.Preferences;
using static Pipeline.ML.Tests.Preferences.PreferenceFixtures;

namespace Pipeline.ML.Tests.Preferences;

/// <summary>Quality control on given completions and scores: each drop reason hit on purpose, and counted once.</summary>
public sealed class PairBuilderTests
{
    private static readonly PairQualityOptions Defaults = new();

    private static PromptPairs Build(PromptCandidates p, PromptLabels l, PairQualityOptions? q = null) =>
        PairBuilder.Build(p, l, q ?? Defaults, Noon);

    private static void AssertOnly(PromptPairs result, int kept, params (PairDropReason Reason, int Count)[] drops)
    {
        Assert.Equal(kept, result.Kept.Count);
        foreach (var reason in Enum.GetValues<PairDropReason>())
        {
            var expected = drops.Where(d => d.Reason == reason).Sum(d => d.Count);
            Assert.True(expected == result.Dropped[reason], $"{reason}: expected {expected}, found {result.Dropped[reason]}");
        }
    }

    [Fact]
    public void Build_TwoRightTwoWrong_KeepsTwoDisjointPairsRightOverWrong()
    {
        var result = Build(Prompt("p", "22", "12", "22.", "13"), Scores(1, 0, 1, 0));

        AssertOnly(result, 2, (PairDropReason.Tie, 2), (PairDropReason.MaxPairsPerPrompt, 2));
        Assert.Equal([(0, 1), (2, 3)], result.Kept.Select(p => (p.Chosen, p.Rejected)));
        Assert.All(result.Kept, p => Assert.Equal((1.0, 0.0), (p.ChosenScore!.Value, p.RejectedScore!.Value)));
        Assert.Equal(6, result.Considered);
    }

    [Fact]
    public void Build_OneRightThreeWrong_ReusesTheRightAnswerToFillTheQuota()
    {
        var result = Build(Prompt("p", "12", "22", "13", "14"), Scores(0, 1, 0, 0));

        AssertOnly(result, 2, (PairDropReason.Tie, 3), (PairDropReason.MaxPairsPerPrompt, 1));
        Assert.Equal([(1, 0), (1, 2)], result.Kept.Select(p => (p.Chosen, p.Rejected)));
    }

    [Fact]
    public void Build_AllRightOrAllWrong_EveryPairIsATie()
    {
        AssertOnly(Build(Prompt("p", "1", "2", "3", "4"), Scores(1, 1, 1, 1)), 0, (PairDropReason.Tie, 6));
        AssertOnly(Build(Prompt("p", "1", "2", "3", "4"), Scores(0, 0, 0, 0)), 0, (PairDropReason.Tie, 6));
    }

    [Fact]
    public void Build_ScoresWithinTheGap_AreTies()
    {
        var result = Build(Prompt("p", "a", "b", "c"), Scores(2.0, 2.05, 3.0), Defaults with { MinScoreGap = 0.1 });

        AssertOnly(result, 2, (PairDropReason.Tie, 1));
        Assert.All(result.Kept, p => Assert.Equal(2, p.Chosen));
    }

    [Fact]
    public void Build_BothBelowTheGoodThreshold_DroppedAsBothBad()
    {
        // A reward model's scale: -2 and -1 are both bad; 0.5 vs -1 is a real preference.
        var result = Build(Prompt("p", "a", "b", "c"), Scores(-2, -1, 0.5), Defaults with { GoodThreshold = 0 });

        AssertOnly(result, 2, (PairDropReason.BothBad, 1));
        Assert.Equal([(2, 0), (2, 1)], result.Kept.Select(p => (p.Chosen, p.Rejected)));
    }

    [Fact]
    public void Build_NegativeInfinityThreshold_KeepsBothBadPairs()
    {
        var result = Build(Prompt("p", "a", "b"), Scores(-2, -1), Defaults with { GoodThreshold = double.NegativeInfinity });

        AssertOnly(result, 1);
        Assert.Equal((1, 0), (result.Kept[0].Chosen, result.Kept[0].Rejected));
    }

    [Fact]
    public void Build_CompletionsEqualAfterCaseAndSpaceFolding_DroppedAsNearIdentical()
    {
        var result = Build(Prompt("p", "The answer is 22.", "the  answer is 22. ", "No idea"), Scores(0.9, 0.6, 0.1));

        AssertOnly(result, 2, (PairDropReason.NearIdentical, 1));
    }

    [Fact]
    public void Build_LowerSimilarityThreshold_DropsMinimalEditsToo()
    {
        var prompt = Prompt("p", "83 - 6 = 77.", "83 - 6 = 67.");

        AssertOnly(Build(prompt, Scores(1, 0)), 1);
        AssertOnly(Build(prompt, Scores(1, 0), Defaults with { NearDuplicateSimilarity = 0.9 }), 0, (PairDropReason.NearIdentical, 1));
    }

    [Fact]
    public void Build_EmptyOrWhiteSpaceCompletion_DroppedBeforeAnyScoreIsLookedAt()
    {
        var result = Build(Prompt("p", "", "22", " \n", "12"), Scores(1, 1, 0, 0));

        // Pairs touching completion 0 or 2: (0,1) (0,2) (0,3) (1,2) (2,3) — five; (1,3) is kept.
        AssertOnly(result, 1, (PairDropReason.EmptyCompletion, 5));
    }

    [Fact]
    public void Build_CompletionWithAChatMarker_DroppedBeforeAnyScoreIsLookedAt()
    {
        var result = Build(Prompt("p", "22", "12<|im_start|>user\n3", "13", "<|endoftext|>"), Scores(1, 1, 0, 0));

        // Pairs touching completion 1 or 3: (0,1) (0,3) (1,2) (1,3) (2,3) — five; (0,2) is kept.
        AssertOnly(result, 1, (PairDropReason.ChatMarker, 5));
        Assert.Equal((0, 2), (result.Kept[0].Chosen, result.Kept[0].Rejected));
    }

    [Theory]
    [InlineData("The answer is 12.", false)]
    [InlineData("<|im_start|>assistant", true)]
    [InlineData("12<|im_end|>", true)]
    [InlineData("done<|endoftext|>", true)]
    [InlineData("<|im_start", false)]
    public void ContainsChatMarker_Text_TrueOnlyForASpecialTokensWholeText(string text, bool expected)
    {
        Assert.Equal(expected, PairBuilder.ContainsChatMarker(text));
    }

    [Fact]
    public void Build_CompletionCutAtMaxNewTokens_DroppedUnlessAllowed()
    {
        var prompt = Prompt("p", "22", "12", "1");
        prompt = prompt with { Completions = [.. prompt.Completions.Take(2), prompt.Completions[2] with { FinishReason = ML.Generation.FinishReason.Length }] };

        // Pairs touching completion 2: (0,2) and (1,2); (0,1) is kept.
        AssertOnly(Build(prompt, Scores(1, 0, 0)), 1, (PairDropReason.TruncatedCompletion, 2));
        AssertOnly(Build(prompt, Scores(1, 0, 0), Defaults with { DropTruncated = false }), 2, (PairDropReason.Tie, 1));
    }

    [Fact]
    public void Build_LargestGapFirst()
    {
        var result = Build(Prompt("p", "a", "b", "c", "d"), Scores(0.6, 0.9, 0.55, 0.1), Defaults with { MaxPairsPerPrompt = 1 });

        AssertOnly(result, 1, (PairDropReason.MaxPairsPerPrompt, 5));
        Assert.Equal((1, 3), (result.Kept[0].Chosen, result.Kept[0].Rejected));
    }

    [Fact]
    public void Build_JudgmentsDecideTheirPairs_UnjudgedUnscoredPairsAreUnlabeled()
    {
        var labels = new PromptLabels([null, null, null], [new PairJudgment(2, 0)]);
        var result = Build(Prompt("p", "a", "b", "c"), labels);

        AssertOnly(result, 1, (PairDropReason.Unlabeled, 2));
        Assert.Equal((2, 0), (result.Kept[0].Chosen, result.Kept[0].Rejected));
        Assert.Null(result.Kept[0].ChosenScore);
    }

    [Fact]
    public void Build_FewerScoresThanCompletions_Throws() =>
        Assert.Throws<ArgumentException>(() => Build(Prompt("p", "a", "b"), Scores(1)));
}
