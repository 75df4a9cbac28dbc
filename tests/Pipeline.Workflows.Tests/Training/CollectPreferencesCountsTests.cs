using Pipeline.Activities.Training;
using Pipeline.ML.Preferences;

namespace Pipeline.Workflows.Tests.Training;

/// <summary>The preference set's counts, as the stage table and tracking show them.</summary>
public sealed class CollectPreferencesCountsTests
{
    [Fact]
    public void Counts_CollectionAndAdditions_PairsIsTheirSumAndEveryDropIsNamed()
    {
        var dropped = Enum.GetValues<PairDropReason>().ToDictionary(r => r, r => (int)r + 1);
        var collected = new PreferenceCounts(PromptsRead: 12, DuplicatePrompts: 2, PromptsSampled: 10, CompletionsSampled: 40, EmptyCompletions: 1,
            PromptsWithPairs: 4, CandidatePairs: 60, PairsKept: 7, PairsDropped: dropped);

        var counts = CollectPreferencesStage.Counts(collected, extraCopies: 6, anchors: 285, human: 2, humanDropped: 1);

        Assert.Equal(7 + 6 + 285 + 2, counts["pairs"]);
        Assert.Equal((10, 2, 40, 60, 7), (counts["prompts"], counts["duplicate_prompts"], counts["samples"], counts["candidate_pairs"], counts["collected"]));
        Assert.Equal((dropped[PairDropReason.Tie], dropped[PairDropReason.TruncatedCompletion], dropped[PairDropReason.NearIdentical]),
            (counts["ties"], counts["truncated"], counts["duplicates"]));
        Assert.Equal(dropped[PairDropReason.ChatMarker], counts["chat_marker"]);
        Assert.Equal((285, 2, 1), (counts["anchors"], counts["human"], counts["human_dropped"]));
    }
}
