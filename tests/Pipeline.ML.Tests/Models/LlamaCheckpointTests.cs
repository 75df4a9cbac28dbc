using Pipeline.ML.IO;
using Pipeline.ML.Models;

namespace Pipeline.ML.Tests.Models;

public class LlamaCheckpointTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SaveThenLoad_RoundTrip_SameWeightsAndLogits(bool tied)
    {
        var model = TinyModels.Model(seed: 3, tied: tied);
        var dir = TinyModels.TempDir();
        LlamaCheckpoint.Save(model, dir);
        var loaded = LlamaCheckpoint.Load(dir);

        Assert.Equal(model.Config, loaded.Config);
        foreach (var (a, b) in model.BaseParameters.Zip(loaded.BaseParameters))
        {
            Assert.Equal(a.Name, b.Name);
            Assert.True(a.Value.Span.SequenceEqual(b.Value.Span), a.Name);
        }
        using var st = SafeTensorsFile.Open(Path.Combine(dir, LlamaCheckpoint.WeightsFile));
        Assert.Equal(!tied, st.Tensors.ContainsKey("lm_head.weight"));
        Assert.Contains("model.layers.1.mlp.down_proj.weight", st.Tensors.Keys);
    }

    [Fact]
    public void Load_MisshapenTensor_NamesFileTensorAndShapes()
    {
        var dir = TinyModels.TempDir();
        LlamaCheckpoint.Save(TinyModels.Model(), dir);
        var wrong = TinyModels.Config() with { IntermediateSize = 41 };
        LlamaConfigJson.Save(wrong, Path.Combine(dir, "config.json"));

        var e = Assert.Throws<ModelFormatException>(() => LlamaCheckpoint.Load(dir));
        Assert.Contains("model.safetensors", e.Message);
        Assert.Matches(@"tensor 'model\.layers\.\d\.mlp\.(gate|up|down)_proj\.weight' has shape \[\d+, \d+\], expected \[\d+, \d+\]", e.Message);
    }

    [Fact]
    public void Load_MissingTensor_NamesIt()
    {
        var dir = TinyModels.TempDir();
        var model = TinyModels.Model();
        var writer = new SafeTensorsWriter();
        foreach (var p in model.BaseParameters.Where(p => p.Name != "model.norm.weight"))
        {
            writer.Add(p.Name, p.Value.Array, p.Value.Shape.Select(d => (long)d).ToArray());
        }
        writer.WriteToFile(Path.Combine(dir, LlamaCheckpoint.WeightsFile));
        LlamaConfigJson.Save(model.Config, Path.Combine(dir, "config.json"));

        var e = Assert.Throws<ModelFormatException>(() => LlamaCheckpoint.Load(dir));
        Assert.Contains("model.norm.weight", e.Message);
    }

    [Fact]
    public void Load_CorruptWeightsFile_IsModelFormatError()
    {
        var dir = TinyModels.TempDir();
        LlamaCheckpoint.Save(TinyModels.Model(), dir);
        var path = Path.Combine(dir, LlamaCheckpoint.WeightsFile);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..100]);

        var e = Assert.Throws<ModelFormatException>(() => LlamaCheckpoint.Load(dir));
        Assert.Contains(path, e.Message);
    }

    [Theory]
    [InlineData("\"hidden_act\": \"gelu\"", "hidden_act")]
    [InlineData("\"rope_scaling\": {\"type\": \"linear\", \"factor\": 2.0}", "rope_scaling")]
    [InlineData("\"num_key_value_heads\": 3", "num_key_value_heads")]
    [InlineData("\"hidden_size\": \"16\"", "hidden_size")]
    [InlineData("\"model_type\": \"mistral\"", "model_type")]
    public void ConfigLoad_Unsupported_NamesField(string field, string name)
    {
        var dir = TinyModels.TempDir();
        var path = Path.Combine(dir, "config.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(
            "{\"vocab_size\": 23, \"hidden_size\": 16, \"intermediate_size\": 40, \"num_hidden_layers\": 2, \"num_attention_heads\": 4}")!.AsObject();
        foreach (var (k, v) in System.Text.Json.Nodes.JsonNode.Parse("{" + field + "}")!.AsObject().ToList())
        {
            json[k] = v?.DeepClone();
        }
        File.WriteAllText(path, json.ToJsonString());
        var e = Assert.Throws<ModelFormatException>(() => LlamaConfigJson.Load(path));
        Assert.Contains(name, e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void ConfigLoad_DuplicateKey_IsModelFormatError()
    {
        var path = Path.Combine(TinyModels.TempDir(), "config.json");
        File.WriteAllText(path, "{\"vocab_size\": 23, \"vocab_size\": 24}");
        var e = Assert.Throws<ModelFormatException>(() => LlamaConfigJson.Load(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Load_ShardedCheckpoint_ReadsEveryShard()
    {
        var model = TinyModels.Model(seed: 5);
        var dir = TinyModels.TempDir();
        var parameters = model.BaseParameters.ToList();
        var map = new System.Text.Json.Nodes.JsonObject();
        for (var shard = 0; shard < 2; shard++)
        {
            var name = $"model-0000{shard + 1}-of-00002.safetensors";
            var writer = new SafeTensorsWriter();
            foreach (var p in parameters.Where((_, i) => i % 2 == shard))
            {
                writer.Add(p.Name, p.Value.Array, p.Value.Shape.Select(d => (long)d).ToArray());
                map[p.Name] = name;
            }
            writer.WriteToFile(Path.Combine(dir, name));
        }
        File.WriteAllText(Path.Combine(dir, LlamaCheckpoint.IndexFile), new System.Text.Json.Nodes.JsonObject { ["weight_map"] = map }.ToJsonString());
        LlamaConfigJson.Save(model.Config, Path.Combine(dir, "config.json"));

        var loaded = LlamaCheckpoint.Load(dir);
        Assert.True(model.Embed.Value.Span.SequenceEqual(loaded.Embed.Value.Span));
        Assert.True(model.LmHead!.Value.Span.SequenceEqual(loaded.LmHead!.Value.Span));
    }
}
