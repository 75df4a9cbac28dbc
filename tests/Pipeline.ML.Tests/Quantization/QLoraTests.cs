using Pipeline.ML.Generation;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Quantization;
using Pipeline.ML.Tests.Models;
using Pipeline.ML.Training;

namespace Pipeline.ML.Tests.Quantization;

public class QLoraTests
{
    private static readonly LoraConfig AllTargets = new() { R = 4, Alpha = 8, Targets = LoraTarget.All };

    /// <summary>The same random model twice: one with an NF4 base, one float32 holding exactly the NF4 base's
    /// dequantized values — the reference every QLoRA computation must match.</summary>
    private static (LlamaModel Nf4, LlamaModel Float) Twins(ulong seed = 3)
    {
        var (q, f) = (TinyModels.Model(seed), TinyModels.Model(seed));
        q.QuantizeBase();
        foreach (var (qp, fp) in q.Layers.SelectMany(l => l.Projections).Zip(f.Layers.SelectMany(l => l.Projections)))
        {
            qp.Quantized!.Dequantize().Span.CopyTo(fp.Weight.Value.Span);
        }
        return (q, f);
    }

    private static LoraAdapter Adapter(LlamaModel model, bool randomB = true)
    {
        var adapter = LoraAdapter.Create("qlora", AllTargets, model.Config, seed: 5);
        if (randomB)
        {
            var rng = new Random(6);
            foreach (var w in adapter.Weights.Values)
            {
                var b = w.B.Value.Span;
                for (var i = 0; i < b.Length; i++)
                {
                    b[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
                }
            }
        }
        model.AddAdapter(adapter);
        model.SetActiveAdapter(adapter.Name);
        adapter.SetTrainable(true);
        return adapter;
    }

    private static TokenBatch Batch() => TokenBatch.CausalLm(TinyModels.RandomIds(3, 9, 23, seed: 12));

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, string what)
    {
        var scale = 1e-6f;
        foreach (var v in expected)
        {
            scale = Math.Max(scale, Math.Abs(v));
        }
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * scale, $"{what}[{i}]: {expected[i]} vs {actual[i]}");
        }
    }

    [Fact]
    public void QuantizeBase_EveryLayer_SevenProjectionsInNf4FloatCopiesFreedRestFloat()
    {
        var model = TinyModels.Model();
        model.QuantizeBase();

        Assert.True(model.IsBaseQuantized);
        Assert.Equal(7 * model.Layers.Length, model.QuantizedProjections.Count());
        Assert.DoesNotContain(model.BaseParameters, p => p.Name.Contains("_proj"));
        Assert.Contains(model.BaseParameters, p => p.Name == "model.embed_tokens.weight");
        Assert.Contains(model.BaseParameters, p => p.Name == "lm_head.weight");
        var e = Assert.Throws<InvalidOperationException>(() => model.Layers[1].Down.Weight);
        Assert.Contains("model.layers.1.mlp.down_proj.weight is stored in NF4", e.Message);
        Assert.All(model.QuantizedProjections, p => Assert.NotNull(p.Quantized!.Scales));
    }

    [Fact]
    public void ForwardAndBackward_Nf4Base_EqualFloatModelOnDequantizedWeights()
    {
        var (q, f) = Twins();
        var (qa, fa) = (Adapter(q), Adapter(f));
        var batch = Batch();
        var (qActs, fActs) = (q.CreateActivations(batch.Batch, batch.SeqLen), f.CreateActivations(batch.Batch, batch.SeqLen));

        foreach (var (m, acts) in new[] { (q, qActs), (f, fActs) })
        {
            m.ZeroGrad();
            m.Forward(batch, acts);
            m.Loss(batch, acts);
            m.Backward(batch, acts);
        }

        AssertClose(fActs.Logits.Span, qActs.Logits.Span, "logits");
        foreach (var (qp, fp) in qa.Parameters.Zip(fa.Parameters))
        {
            AssertClose(fp.Grad!.Span, qp.Grad!.Span, qp.Name);
        }
        Assert.All(q.BaseParameters, p => Assert.Null(p.Grad));
    }

    [Fact]
    public void Train_QLora_LossFallsAndPackedBaseBytesAndScalesBitIdentical()
    {
        var model = TinyModels.Model(seed: 2);
        model.QuantizeBase();
        var adapter = Adapter(model, randomB: false);
        var before = model.QuantizedProjections.Select(p => p.Quantized!)
            .Select(t => (Packed: (byte[])t.Packed.Clone(), Codes: (sbyte[])t.Scales!.Codes.Clone(), Steps: (float[])t.Scales.Steps.Clone(), t.Scales.Mean))
            .ToList();
        var floatBefore = model.BaseParameters.Select(p => p.Value.Span.ToArray()).ToList();
        var rng = new Random(1);
        var rows = Enumerable.Range(0, 32).Select(_ =>
        {
            var start = rng.Next(23);
            var ids = Enumerable.Range(0, 12).Select(i => (start + i) % 23).ToArray();
            return new TrainingRow(ids, ids);
        }).ToList();
        var options = new TrainingOptions { MaxSteps = 40, BatchSize = 4, LearningRate = 1e-2, WarmupSteps = 2, LoggingSteps = 1, Seed = 11, MaxGradNorm = 1.0 };

        var result = new CausalLmTrainer(model, options, rows).Train();

        var losses = result.History.Select(h => h.Values["loss"]).ToList();
        Assert.True(losses.TakeLast(5).Average() < 0.8 * losses.Take(5).Average(), $"losses {string.Join(", ", losses)}");
        foreach (var (t, old) in model.QuantizedProjections.Select(p => p.Quantized!).Zip(before))
        {
            Assert.Equal(old.Packed, t.Packed);
            Assert.Equal(old.Codes, t.Scales!.Codes);
            Assert.Equal(old.Steps, t.Scales.Steps);
            Assert.Equal(old.Mean, t.Scales.Mean);
        }
        foreach (var (p, old) in model.BaseParameters.Zip(floatBefore))
        {
            Assert.True(p.Value.Span.SequenceEqual(old), $"frozen {p.Name} changed");
        }
        Assert.All(adapter.Weights.Values, w => Assert.True(w.B.Value.Span.IndexOfAnyExcept(0f) >= 0));
    }

    [Fact]
    public void MergeAdapter_Nf4Base_RefusedWithWhatToDoInstead()
    {
        var model = TinyModels.Model();
        model.QuantizeBase();
        Adapter(model);
        var e = Assert.Throws<InvalidOperationException>(model.MergeAdapter);
        Assert.Contains("load the base in float32", e.Message);
        Assert.False(model.ActiveAdapter!.Merged);
    }

    [Fact]
    public void FullFineTuneOrSave_Nf4Base_Refused()
    {
        var model = TinyModels.Model();
        model.QuantizeBase();
        Assert.Contains("only adapters", Assert.Throws<InvalidOperationException>(() => model.SetBaseTrainable(true)).Message);
        Assert.Contains("save the adapter", Assert.Throws<InvalidOperationException>(() => LlamaCheckpoint.Save(model, TinyModels.TempDir())).Message);
        Assert.Throws<InvalidOperationException>(() => model.QuantizeBase());
    }

    [Fact]
    public void PeftSaveThenLoad_Nf4Base_SameLogits()
    {
        var (q, _) = Twins();
        var adapter = Adapter(q);
        var dir = TinyModels.TempDir();
        PeftAdapterFormat.Save(adapter, dir, baseModel: "tiny");
        var batch = Batch();
        var acts = q.CreateActivations(batch.Batch, batch.SeqLen);
        q.Forward(batch, acts);
        var before = acts.Logits.Span.ToArray();

        var (fresh, _) = Twins();
        fresh.AddAdapter(PeftAdapterFormat.Load(dir, "loaded", fresh.Config));
        fresh.SetActiveAdapter("loaded");
        var freshActs = fresh.CreateActivations(batch.Batch, batch.SeqLen);
        fresh.Forward(batch, freshActs);
        Assert.Equal(before, freshActs.Logits.Span.ToArray());
    }

    [Fact]
    public void Generate_Nf4Base_SameTokensAsFloatModelAndAsUncached()
    {
        var (q, f) = Twins(seed: 8);
        Adapter(q);
        Adapter(f);
        int[][] prompts = [[3, 4, 5, 6, 7], [9, 1]];
        var options = new GenerationOptions { MaxNewTokens = 10 };

        var quantized = new Generator(q).Generate(prompts, options);

        Assert.Equal(new Generator(f).Generate(prompts, options).Select(r => r.Tokens), quantized.Select(r => r.Tokens));
        Assert.Equal(new Generator(q).Generate(prompts, options with { UseCache = false }).Select(r => r.Tokens), quantized.Select(r => r.Tokens));
    }

    [Fact]
    public void QuantizeBase_TinyModel_Nf4ErrorWithinBoundOfOriginalWeights()
    {
        var original = TinyModels.Model(seed: 4);
        var model = TinyModels.Model(seed: 4);
        model.QuantizeBase(new Nf4Options { DoubleQuant = false });
        foreach (var (p, o) in model.QuantizedProjections.Zip(original.Layers.SelectMany(l => l.Projections)))
        {
            var back = p.Quantized!.Dequantize().Span;
            var w = o.Weight.Value.Span;
            for (var i = 0; i < w.Length; i++)
            {
                Assert.True(Math.Abs(back[i] - w[i]) <= p.Quantized.BlockAbsmax(i / 64) * Nf4.MaxRoundingError * 1.00001f, $"{p.Name}[{i}]");
            }
        }
    }
}
