using Pipeline.ML.Models;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tests.Models;

namespace Pipeline.ML.Tests.Rewards;

public class RewardModelTests
{
    [Fact]
    public void Score_PaddingAfterTheRow_DoesNotChangeTheReward()
    {
        var model = RewardFixtures.Model();
        int[] row = [5, 9, 2, 17, 4];
        var alone = model.Score([row])[0];

        // Batched with a longer row (so this one is padded), with two different pad ids.
        model.PadTokenId = 0;
        var padded0 = model.Score([row, [3, 3, 8, 11, 6, 7, 20, 1, 12]], batchSize: 2)[0];
        model.PadTokenId = 13;
        var padded13 = model.Score([row, [3, 3, 8, 11, 6, 7, 20, 1, 12]], batchSize: 2)[0];

        Assert.Equal(alone, padded0, tolerance: 1e-5);
        Assert.Equal(padded0, padded13);
    }

    [Fact]
    public void Forward_Reward_IsTheHeadAtTheLastRealToken()
    {
        var model = RewardFixtures.Model();
        var batch = RewardBatch.Create([[5, 9, 2], [7, 1, 4, 4, 10, 3]]);
        var acts = model.CreateActivations(2, batch.Tokens.SeqLen);

        model.Forward(batch, acts);

        var hidden = acts.Backbone.FinalNorm.Span;
        var c = model.Config.HiddenSize;
        var t = batch.Tokens.SeqLen;
        for (var b = 0; b < 2; b++)
        {
            var at = (b * t + batch.Lengths[b] - 1) * c;
            var expected = 0.0;
            for (var i = 0; i < c; i++)
            {
                expected += hidden[at + i] * model.Head.Value.Span[i];
            }
            Assert.Equal(expected, acts.Rewards[b], 5);
        }
    }

    [Fact]
    public void ForwardHidden_FinalNorm_IsBitIdenticalToForwards()
    {
        var lm = TinyModels.Model(seed: 4);
        var batch = TokenBatch.CausalLm(TinyModels.RandomIds(2, 7, 23, seed: 5));
        var full = lm.CreateActivations(2, 7);
        var hidden = new LlamaActivations(lm.Config, 2, 7, logits: false);

        lm.Forward(batch, full);
        lm.ForwardHidden(batch, hidden);

        Assert.True(full.FinalNorm.Span.SequenceEqual(hidden.FinalNorm.Span));
        Assert.Equal(0, hidden.Logits.Length);
    }

    [Fact]
    public void Backward_HeadAndBackboneGradients_MatchFiniteDifferences()
    {
        // float32 central differences on a few weights of every kind; the oracle checks every element to 1e-4.
        var model = RewardFixtures.Model(seed: 3);
        model.Backbone.SetBaseTrainable(true);
        var pairs = RewardFixtures.MarkerPairs(3, 23, seed: 4);
        var rows = pairs.Select(p => p.ChosenRow).Concat(pairs.Select(p => p.RejectedRow)).ToList();
        var batch = RewardBatch.Create(rows);
        var acts = model.CreateActivations(rows.Count, batch.Tokens.SeqLen);
        double Loss()
        {
            model.Forward(batch, acts);
            return BradleyTerryLoss.Evaluate(acts.Rewards.AsSpan(0, 3), acts.Rewards.AsSpan(3), 0.1).Loss;
        }
        model.ZeroGrad();
        Loss();
        var d = new float[6];
        BradleyTerryLoss.Compute(acts.Rewards.AsSpan(0, 3), acts.Rewards.AsSpan(3), d.AsSpan(0, 3), d.AsSpan(3), 1.0 / 3, 0.1);
        model.Backward(batch, acts, d);

        var rng = new Random(6);
        foreach (var p in model.TrainableParameters)
        {
            var grad = p.Grad!.Span;
            var scale = Math.Max(grad.ToArray().Max(g => Math.Abs(g)), 1e-6f);
            for (var k = 0; k < 3; k++)
            {
                var i = rng.Next(p.Value.Length);
                var keep = p.Value.Span[i];
                const float h = 1e-2f;
                p.Value.Span[i] = keep + h;
                var up = Loss();
                p.Value.Span[i] = keep - h;
                var down = Loss();
                p.Value.Span[i] = keep;
                var numeric = (up - down) / (2 * h);
                Assert.True(Math.Abs(numeric - grad[i]) <= 2e-2 * scale + 1e-5,
                    $"{p.Name}[{i}]: numeric {numeric:G6}, analytic {grad[i]:G6} (scale {scale:G4})");
            }
        }
    }

    [Fact]
    public void Backward_FrozenBackbone_TrainsTheHeadAlone()
    {
        var model = RewardFixtures.Model();
        var batch = RewardBatch.Create([[5, 9, 2], [7, 1, 4]]);
        var acts = model.CreateActivations(2, 3);
        model.Forward(batch, acts);

        model.Backward(batch, acts, [1f, -1f]);

        Assert.Equal([model.Head], model.TrainableParameters);
        Assert.Contains(model.Head.Grad!.Span.ToArray(), g => g != 0);
    }

    [Fact]
    public void RewardBatch_EmptyRow_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => RewardBatch.Create([[1, 2], []]));
        Assert.Contains("row 1", e.Message);
    }
}
