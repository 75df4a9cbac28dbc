using Pipeline.ML.Generation;
using Pipeline.ML.Models;

namespace Pipeline.ML.Tests.Models;

public class LlamaModelInferenceTests
{
    [Fact]
    public void ForwardCached_PrefillThenTokenByToken_SameLogitsAsForward()
    {
        var model = new LlamaModel(TinyModels.Config() with { IntermediateSize = 48 });
        model.InitializeWeights(3, std: 0.2);
        var ids = TinyModels.RandomIds(1, 12, model.Config.VocabSize, seed: 5)[0];
        var batch = TokenBatch.CausalLm([ids]);
        var acts = model.CreateActivations(1, ids.Length);
        model.Forward(batch, acts);
        var vocab = model.Config.VocabSize;

        const int prefill = 5;
        var cache = new KvCache(model.Config, 1, ids.Length);
        var rows = new List<float[]> { model.ForwardCached(ids[..prefill], [0, 1, 2, 3, 4], [0], cache, prefill).Span.ToArray() };
        for (var t = prefill; t < ids.Length; t++)
        {
            rows.Add(model.ForwardCached([ids[t]], [t], [0], cache, 1).Span.ToArray());
        }

        for (var t = prefill - 1; t < ids.Length; t++)
        {
            // Not bit for bit: gemm picks its blocking by shape, so one row alone and twelve rows together may sum
            // in different orders. Float rounding apart, they must agree.
            var expected = acts.Logits.Span.Slice(t * vocab, vocab).ToArray();
            Assert.All(expected.Zip(rows[t - prefill + 1]), x => Assert.Equal(x.First, x.Second, 1e-5f));
        }
    }
}
