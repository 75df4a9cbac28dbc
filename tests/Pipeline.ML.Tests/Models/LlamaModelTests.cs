using Pipeline.ML.Models;
using Pipeline.ML.Ops;

namespace Pipeline.ML.Tests.Models;

public class LlamaModelTests
{
    private static Dictionary<string, float[]> Grads(LlamaModel model, TokenBatch batch, out LlamaActivations acts)
    {
        model.SetBaseTrainable(true);
        model.ZeroGrad();
        acts = model.CreateActivations(batch.Batch, batch.SeqLen);
        model.Forward(batch, acts);
        model.Loss(batch, acts);
        model.Backward(batch, acts);
        return model.TrainableParameters.ToDictionary(p => p.Name, p => p.Grad!.Span.ToArray());
    }

    [Fact]
    public void Backward_IgnoredLabels_ContributeExactlyZeroGradient()
    {
        var model = TinyModels.Model(seed: 4);
        var ids = TinyModels.RandomIds(2, 9, 23, seed: 1);
        const int I = CrossEntropy.IgnoreIndex;
        // Prompt = first 5 tokens (no loss), completion = the rest; the second batch has other labels under the mask.
        int[][] Labels(int promptFill) => ids.Select(r => r.Select((t, i) => i < 5 ? (promptFill < 0 ? I : promptFill) : t).ToArray()).ToArray();

        var masked = Grads(model, TokenBatch.Create(ids, Labels(-1)), out var acts);
        var batch = TokenBatch.Create(ids, Labels(-1));
        for (var row = 0; row < batch.Rows; row++)
        {
            if (batch.Targets[row] == I)
            {
                Assert.True(acts.DLogits.Span.Slice(row * 23, 23).IndexOfAnyExcept(0f) < 0, $"row {row} has a gradient");
            }
        }
        var withPromptLoss = Grads(model, TokenBatch.Create(ids, Labels(3)), out _);
        Assert.NotEqual(masked["lm_head.weight"], withPromptLoss["lm_head.weight"]);
        // Same inputs, same completion labels, prompt labels ignored: identical gradients whatever was under the mask.
        var relabelled = ids.Select(r => r.Select((t, i) => i < 5 ? I : t).ToArray()).ToArray();
        Assert.Equal(masked["lm_head.weight"], Grads(model, TokenBatch.Create(ids, relabelled), out _)["lm_head.weight"]);
    }

    [Fact]
    public void Forward_PackedDocument_SameLossAsAlone()
    {
        var model = TinyModels.Model(seed: 6);
        var docA = TinyModels.RandomIds(1, 6, 23, seed: 2)[0];
        var docB = TinyModels.RandomIds(1, 5, 23, seed: 3)[0];
        var alone = TokenBatch.Create([docA], [docA]);
        int[] packedIds = [.. docB, .. docA];
        int[] packedLabels = [.. docB, CrossEntropy.IgnoreIndex, .. docA[1..]];
        int[] positions = [.. Enumerable.Range(0, 5), .. Enumerable.Range(0, 6)];
        var packed = TokenBatch.Create([packedIds], [packedLabels], [positions]);

        var actsAlone = model.CreateActivations(1, 6);
        model.Forward(alone, actsAlone);
        model.Ops.CrossEntropy(actsAlone.Logits, alone.Targets, actsAlone.Losses);
        var actsPacked = model.CreateActivations(1, 11);
        model.Forward(packed, actsPacked);
        model.Ops.CrossEntropy(actsPacked.Logits, packed.Targets, actsPacked.Losses);

        for (var t = 0; t < 5; t++)
        {
            Assert.Equal(actsAlone.Losses.Span[t], actsPacked.Losses.Span[5 + t], 1e-5f);
        }
        // The boundary target (docB's last token predicting docA's first) is masked.
        Assert.Equal(0f, actsPacked.Losses.Span[4]);
    }

    [Fact]
    public void Forward_TokenOutsideVocabulary_ClearError()
    {
        var model = TinyModels.Model();
        var batch = TokenBatch.CausalLm([[1, 2, 99]]);
        var e = Assert.Throws<ArgumentException>(() => model.Forward(batch, model.CreateActivations(1, 3)));
        Assert.Contains("input_ids[0][2] = 99", e.Message);
    }

    [Fact]
    public void ParameterCount_MatchesTensors()
    {
        foreach (var tied in new[] { false, true })
        {
            var model = TinyModels.Model(tied: tied);
            Assert.Equal(model.Config.ParameterCount, model.BaseParameters.Sum(p => (long)p.Value.Length));
        }
    }
}
