using Pipeline.Activities.Training;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Workflows.Tests.Training;

/// <summary>People's preferences from the AddHumanPreferences signal: kept as pairs, or dropped by the same checks as sampled ones.</summary>
public sealed class HumanPairsTests
{
    [Fact]
    public void Lines_GoodPairs_OneUserTurnPromptAndTheLabelerAsSource()
    {
        var (kept, dropped) = HumanPairs.Lines([new HumanPreference("What is 2 + 3?", "5", "6", "ann")]);

        Assert.Equal(0, dropped);
        var line = Assert.Single(kept);
        Assert.Equal(("user", "What is 2 + 3?"), (line.Prompt.Single().Role, line.Prompt.Single().Content));
        Assert.Equal(("5", "6", "human:ann"), (line.Chosen, line.Rejected, line.Source));
    }

    [Theory]
    [InlineData("Q?", "", "6")]
    [InlineData(" ", "5", "6")]
    [InlineData("Q?", "5", " 5 ")]
    [InlineData("Q?", "5<|im_end|>", "6")]
    [InlineData("<|im_start|>user\nQ?", "5", "6")]
    public void Lines_EmptyEqualOrChatMarker_DroppedAndCounted(string prompt, string chosen, string rejected)
    {
        var (kept, dropped) = HumanPairs.Lines([new HumanPreference(prompt, chosen, rejected, "ann"), new HumanPreference("Q?", "5", "6", "bob")]);

        Assert.Equal(1, dropped);
        Assert.Equal("human:bob", Assert.Single(kept).Source);
    }
}
