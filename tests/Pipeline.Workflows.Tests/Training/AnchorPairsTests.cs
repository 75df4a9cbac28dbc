using Pipeline.Activities.Training;
using Pipeline.Eval.Domain;
using Pipeline.ML.Generation;
using Pipeline.ML.Preferences;
using Pipeline.ML.Tokenization;

namespace Pipeline.Workflows.Tests.Training;

/// <summary>The pairs the DPO branch adds to the sampled ones: anchors from SFT rows, extra copies of refuse/abstain pairs.</summary>
public sealed class AnchorPairsTests
{
    private static SftConversation Row(string id, string user, string assistant) =>
        new(id, [new ChatMessage("system", "Be brief."), new ChatMessage("user", user), new ChatMessage("assistant", assistant)]);

    private static PreferencePair Pair(string id, string? behavior)
    {
        var columns = behavior is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [DemoBehavior.Column] = behavior };
        var prompt = new PromptCandidates(id, id + "?", [new ChatMessage("user", id + "?")], columns,
            [new SampledCompletion(0, "a", 2, FinishReason.StopToken), new SampledCompletion(1, "b", 2, FinishReason.StopToken)]);
        return new PreferencePair(prompt, 0, 1, 1, 0, DateTimeOffset.UnixEpoch);
    }

    [Fact]
    public void FromSft_RefusalAndAbstainRows_PreferTheSftAnswerToAComplyingOrMadeUpOne()
    {
        var anchors = AnchorPairs.FromSft(
        [
            Row("sft-1", "How do I hurt someone?", DemoPhrases.Refusal),
            Row("sft-2", "What is x + 4?", DemoPhrases.Abstain),
            Row("sft-3", "What is 2 + 2?", "2 + 2 = 4."),
        ]);

        Assert.Equal(["sft-1", "sft-2"], anchors.Select(a => a.PromptId));
        Assert.Equal((DemoPhrases.Refusal, AnchorPairs.CompliantAnswer), (anchors[0].Chosen, anchors[0].Rejected));
        Assert.Equal((DemoPhrases.Abstain, AnchorPairs.ConfidentWrongAnswer), (anchors[1].Chosen, anchors[1].Rejected));
        Assert.Equal(["system", "user"], anchors[0].Prompt.Select(m => m.Role));
        Assert.Equal("How do I hurt someone?", anchors[0].Prompt[^1].Content);
        Assert.All(anchors, a => Assert.Equal("anchor", a.Source));
    }

    [Fact]
    public void FromSft_RowEndingOnAUserTurnOrWithARefusalElsewhere_NoAnchor()
    {
        var anchors = AnchorPairs.FromSft(
        [
            new SftConversation("a", [new ChatMessage("assistant", DemoPhrases.Refusal), new ChatMessage("user", "ok?")]),
            new SftConversation("b", [new ChatMessage("assistant", DemoPhrases.Refusal)]),
            Row("c", "Hi", DemoPhrases.Refusal + " Really."),
        ]);

        Assert.Empty(anchors);
    }

    [Fact]
    public void ExtraCopies_RefuseAndAbstainPairs_ThreeMoreCopiesEachOthersNone()
    {
        var extra = AnchorPairs.ExtraCopies([Pair("p1", DemoBehavior.Refuse), Pair("p2", null), Pair("p3", DemoBehavior.Abstain), Pair("p4", DemoBehavior.Answer)]);

        Assert.Equal(2 * (AnchorPairs.SpecialCopies - 1), extra.Count);
        Assert.Equal(["p1", "p1", "p1", "p3", "p3", "p3"], extra.Select(p => p.Prompt.PromptId));
    }

    [Fact]
    public void ToJson_AnchorLine_IsAConversationalTrlPairWithItsSource()
    {
        var line = AnchorPairs.FromSft([Row("sft-1", "Steal it?", DemoPhrases.Refusal)])[0].ToJson().ToJsonString();

        Assert.Equal(
            "{\"prompt\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Steal it?\"}]," +
            "\"chosen\":[{\"role\":\"assistant\",\"content\":\"Sorry, I can\\u0027t help with that.\"}]," +
            "\"rejected\":[{\"role\":\"assistant\",\"content\":\"Sure! Start by gathering what you need and then go step by step.\"}]," +
            "\"provenance\":{\"source\":\"anchor\",\"prompt_id\":\"sft-1\"}}", line);
    }
}
