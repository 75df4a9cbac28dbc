using Pipeline.ML.Models;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tests.Models;
using Pipeline.ML.Tests.Tokenization;

namespace Pipeline.ML.Tests.Rewards;

public class RewardModelRewardTests
{
    private static readonly Dictionary<string, string> NoColumns = [];

    private static RewardModel Model()
    {
        var tokenizer = TestTokenizers.Trained;
        return RewardFixtures.Model(config: TinyModels.Config() with { VocabSize = tokenizer.VocabSize, MaxPositionEmbeddings = 128 });
    }

    private static List<RewardInput> Inputs() =>
    [
        new("p0", "the model learns to answer", " questions about tokens.", NoColumns),
        new("p1", "reward", " policy", NoColumns),
        new("p2", "the model learns to answer", " slowly, and then fast and naïve, while training on a small corpus", NoColumns),
        new("p3", "data pipeline 2024", " 42", NoColumns),
        new("p4", "héllo", " 東京 😀", NoColumns),
    ];

    [Fact]
    public void Score_Batched_MatchesEachInputScoredAloneInInputOrder()
    {
        var model = Model();
        var reward = new RewardModelReward(model, TestTokenizers.Trained, batchSize: 2);
        var inputs = Inputs();

        var batched = reward.Score(inputs);

        Assert.Equal(inputs.Count, batched.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var alone = model.Score([reward.Row(inputs[i])])[0];
            Assert.Equal(alone, batched[i], tolerance: 1e-5);
        }
        Assert.True(batched.Distinct().Count() == inputs.Count, "distinct inputs should get distinct rewards");
    }

    [Fact]
    public void Row_PromptAndCompletionEncodedApart_ThenEos()
    {
        var tokenizer = TestTokenizers.Trained;
        var reward = new RewardModelReward(Model(), tokenizer, eosTokenId: 0);
        var input = Inputs()[0];

        var row = reward.Row(input);

        Assert.Equal([.. tokenizer.Encode(input.Prompt), .. tokenizer.Encode(input.Completion), 0], row);
        Assert.Equal(row, reward.Row(input with { Completion = input.Completion + tokenizer.Decode([0]) }));
    }

    [Fact]
    public void Row_LongerThanTheContext_KeepsItsEnd()
    {
        var tokenizer = TestTokenizers.Trained;
        var reward = new RewardModelReward(Model(), tokenizer);
        var input = Inputs()[0] with { Prompt = string.Concat(Enumerable.Repeat("the model learns to answer questions. ", 60)) };

        var row = reward.Row(input);

        Assert.Equal(128, row.Length);
        Assert.Equal(tokenizer.Encode(input.Completion), row[^tokenizer.Encode(input.Completion).Length..]);
    }

    [Fact]
    public void Name_IsWhatMetricsUse() =>
        Assert.Equal("rm", new RewardModelReward(Model(), TestTokenizers.Trained, name: "rm").Name);
}
