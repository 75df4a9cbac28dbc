using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Tests.Models;

namespace Pipeline.ML.Tests.Lora;

public class LoraAdapterTests
{
    private static readonly LoraConfig AllTargets = new() { R = 3, Alpha = 6, Targets = LoraTarget.All };

    private static float[] Logits(LlamaModel model, TokenBatch batch)
    {
        var acts = model.CreateActivations(batch.Batch, batch.SeqLen);
        model.Forward(batch, acts);
        return acts.Logits.Span.ToArray();
    }

    private static TokenBatch Batch() => TokenBatch.CausalLm(TinyModels.RandomIds(2, 7, 23, seed: 4));

    private static void Randomize(LoraAdapter adapter, int seed)
    {
        var rng = new Random(seed);
        foreach (var p in adapter.Parameters)
        {
            var span = p.Value.Span;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (float)(rng.NextDouble() - 0.5);
            }
        }
    }

    [Fact]
    public void Create_FreshAdapter_ModelStartsExactlyAtBase()
    {
        var model = TinyModels.Model();
        var before = Logits(model, Batch());
        model.AddAdapter(LoraAdapter.Create("a", AllTargets, model.Config, seed: 9));
        model.SetActiveAdapter("a");

        Assert.Equal(before, Logits(model, Batch()));
        var adapter = model.Adapters["a"];
        Assert.All(adapter.Weights.Values, w => Assert.True(w.B.Value.Span.IndexOfAnyExcept(0f) < 0));
        Assert.All(adapter.Weights.Values, w => Assert.True(w.A.Value.Span.IndexOfAnyExcept(0f) >= 0));
        // Kaiming-uniform(a=√5) bound is 1/√fan_in.
        var a = adapter.Weights[(0, LoraTarget.DownProj)].A.Value;
        Assert.All(a.Span.ToArray(), x => Assert.InRange(Math.Abs(x), 0, 1 / Math.Sqrt(40)));
    }

    [Fact]
    public void SetActiveAdapter_SwitchBetweenTwo_EachReproducesItsOutputWithoutTouchingBase()
    {
        var model = TinyModels.Model();
        var baseWeights = model.BaseParameters.Select(p => p.Value.Span.ToArray()).ToList();
        var baseLogits = Logits(model, Batch());
        var a = LoraAdapter.Create("a", AllTargets, model.Config, 1);
        var b = LoraAdapter.Create("b", AllTargets with { Targets = LoraTarget.QProj | LoraTarget.VProj }, model.Config, 2);
        Randomize(a, 1);
        Randomize(b, 2);
        model.AddAdapter(a);
        model.AddAdapter(b);

        model.SetActiveAdapter("a");
        var withA = Logits(model, Batch());
        model.SetActiveAdapter("b");
        var withB = Logits(model, Batch());
        model.SetActiveAdapter("a");
        Assert.Equal(withA, Logits(model, Batch()));
        model.SetActiveAdapter(null);
        Assert.Equal(baseLogits, Logits(model, Batch()));

        Assert.NotEqual(withA, withB);
        Assert.NotEqual(baseLogits, withA);
        Assert.All(model.BaseParameters.Zip(baseWeights), x => Assert.True(x.First.Value.Span.SequenceEqual(x.Second)));
    }

    [Fact]
    public void MergeThenUnmerge_SameOutputsAndBaseRestored()
    {
        var model = TinyModels.Model();
        var baseWeights = model.BaseParameters.Select(p => p.Value.Span.ToArray()).ToList();
        var adapter = LoraAdapter.Create("a", AllTargets, model.Config, 1);
        Randomize(adapter, 3);
        model.AddAdapter(adapter);
        model.SetActiveAdapter("a");
        var unmerged = Logits(model, Batch());

        model.MergeAdapter();
        var merged = Logits(model, Batch());
        Assert.All(unmerged.Zip(merged), x => Assert.Equal(x.First, x.Second, 1e-4f));
        Assert.Throws<InvalidOperationException>(() => model.SetActiveAdapter(null));

        model.UnmergeAdapter();
        Assert.All(unmerged.Zip(Logits(model, Batch())), x => Assert.Equal(x.First, x.Second, 1e-4f));
        foreach (var (p, saved) in model.BaseParameters.Zip(baseWeights))
        {
            Assert.All(p.Value.Span.ToArray().Zip(saved), x => Assert.Equal(x.Second, x.First, 1e-6f));
        }
    }

    [Fact]
    public void PeftSaveThenLoad_RoundTrip_SameKeysAndOutputs()
    {
        var model = TinyModels.Model();
        var adapter = LoraAdapter.Create("a", AllTargets with { Dropout = 0.1 }, model.Config, 1);
        Randomize(adapter, 5);
        var dir = TinyModels.TempDir();
        PeftAdapterFormat.Save(adapter, dir, baseModel: "tiny");

        var loaded = PeftAdapterFormat.Load(dir, "b", model.Config);
        Assert.Equal(adapter.Config, loaded.Config);
        Assert.Equal(adapter.Parameters.Select(p => p.Name), loaded.Parameters.Select(p => p.Name));
        Assert.Contains("base_model.model.model.layers.1.mlp.up_proj.lora_B.weight", loaded.Parameters.Select(p => p.Name));
        Assert.Contains("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", loaded.Parameters.Select(p => p.Name));
        model.AddAdapter(adapter);
        model.AddAdapter(loaded);
        model.SetActiveAdapter("a");
        var a = Logits(model, Batch());
        model.SetActiveAdapter("b");
        Assert.Equal(a, Logits(model, Batch()));
    }

    [Theory]
    [InlineData("\"use_dora\": true", "use_dora")]
    [InlineData("\"rank_pattern\": {\"q_proj\": 4}", "rank_pattern")]
    [InlineData("\"peft_type\": \"IA3\"", "peft_type")]
    [InlineData("\"target_modules\": [\"qkv\"]", "qkv")]
    [InlineData("\"r\": 0", "r must be")]
    public void PeftLoad_UnsupportedConfig_NamesField(string replacement, string expected)
    {
        var model = TinyModels.Model();
        var dir = TinyModels.TempDir();
        PeftAdapterFormat.Save(LoraAdapter.Create("a", AllTargets, model.Config, 1), dir);
        var path = Path.Combine(dir, PeftAdapterFormat.ConfigFile);
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var patch = System.Text.Json.Nodes.JsonNode.Parse("{" + replacement + "}")!.AsObject();
        foreach (var (k, v) in patch.ToList())
        {
            patch.Remove(k);
            json[k] = v;
        }
        File.WriteAllText(path, json.ToJsonString());

        var e = Assert.Throws<ModelFormatException>(() => PeftAdapterFormat.Load(dir, "a", model.Config));
        Assert.Contains(expected, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void PeftLoad_DuplicateKeyInConfig_IsModelFormatError()
    {
        var model = TinyModels.Model();
        var dir = TinyModels.TempDir();
        PeftAdapterFormat.Save(LoraAdapter.Create("a", AllTargets, model.Config, 1), dir);
        var path = Path.Combine(dir, PeftAdapterFormat.ConfigFile);
        File.WriteAllText(path, "{\"peft_type\": \"LORA\", \"r\": 3, \"r\": 4}");

        var e = Assert.Throws<ModelFormatException>(() => PeftAdapterFormat.Load(dir, "a", model.Config));
        Assert.Contains(path, e.Message);
    }
}
