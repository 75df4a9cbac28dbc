using System.Text.Json;
using Pipeline.ML.IO;

namespace Pipeline.ML.Tests.Oracle;

/// <summary>The PyTorch oracle runs end to end and its files read with our own <see cref="SafeTensorsFile"/>.</summary>
public sealed class OracleSmokeTests : IDisposable
{
    // GQA (4 query heads on 2 key/value heads) and head_dim · heads != hidden_size, untied.
    private const string TinyConfig = """
        {"vocab_size": 32, "hidden_size": 16, "intermediate_size": 24, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 6, "rms_norm_eps": 1e-5,
         "max_position_embeddings": 64}
        """;

    private static readonly int[][] Ids = [[1, 5, 9, 2, 6, 5, 3, 5], [8, 9, 7, 9, 3, 2, 3, 8]];
    private static readonly int[][] Labels = [[1, 5, 9, -100, 6, 5, 3, 5], [8, 9, 7, 9, 3, 2, 3, 8]];
    private static readonly int[][] Positions = [[0, 1, 2, 3, 0, 1, 2, 3], [0, 1, 2, 3, 4, 5, 6, 7]];

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("oracle-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task RunGrads_TinyModel_WritesLogitsLossAndAGradientPerWeight()
    {
        var model = await InitTinyModelAsync(DType.F32);
        var outFile = await RunGradsAsync(model, adapter: null);

        using var weights = SafeTensorsFile.Open(Path.Combine(model, "model.safetensors"));
        using var result = SafeTensorsFile.Open(outFile);
        var expected = weights.Tensors.Keys.Select(n => "grad/" + n).Append("logits").Append("loss");
        Assert.Equal(expected.Order(StringComparer.Ordinal), result.Tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("lm_head.weight", weights.Tensors.Keys);
        foreach (var (name, info) in weights.Tensors)
        {
            Assert.Equal(info.Shape, result.GetInfo("grad/" + name).Shape);
        }

        Assert.Equal([2L, 8, 32], result.GetInfo("logits").Shape);
        Assert.Empty(result.GetInfo("loss").Shape);
        Assert.All(result.Tensors.Values, t => Assert.Equal(DType.F32, t.DType));
        AssertFinite(result);
        Assert.InRange(result.ReadFloat32("loss")[0], 0.5f, 20f);
    }

    [Fact]
    public async Task RunGrads_WithAdapter_ReportsOnlyLoraGradientsUnderPeftNames()
    {
        var model = await InitTinyModelAsync(DType.F32);
        var adapter = Path.Combine(_dir.FullName, "adapter");
        await TorchOracle.InitAdapterAsync(adapter, model, r: 2, alpha: 4, ["q_proj", "down_proj"], seed: 3);
        var outFile = await RunGradsAsync(model, adapter);

        using var result = SafeTensorsFile.Open(outFile);
        var grads = result.Tensors.Keys.Where(n => n.StartsWith("grad/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        string[] expected =
        [
            .. Enumerable.Range(0, 2).SelectMany(i => new[]
            {
                $"grad/base_model.model.model.layers.{i}.mlp.down_proj.lora_A.weight",
                $"grad/base_model.model.model.layers.{i}.mlp.down_proj.lora_B.weight",
                $"grad/base_model.model.model.layers.{i}.self_attn.q_proj.lora_A.weight",
                $"grad/base_model.model.model.layers.{i}.self_attn.q_proj.lora_B.weight",
            }),
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), grads);
        Assert.Equal([2L, 16], result.GetInfo("grad/base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").Shape);
        Assert.Equal([24L, 2], result.GetInfo("grad/base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight").Shape);
        Assert.Equal([2L, 24], result.GetInfo("grad/base_model.model.model.layers.1.mlp.down_proj.lora_A.weight").Shape);
        AssertFinite(result);

        using var adapterFile = SafeTensorsFile.Open(Path.Combine(adapter, "adapter_model.safetensors"));
        Assert.Contains(adapterFile.ReadFloat32("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"), v => v != 0);
    }

    [Fact]
    public async Task InitModel_Bf16Tied_WritesBf16WeightsWithoutLmHead()
    {
        var model = Path.Combine(_dir.FullName, "tied");
        var config = TinyConfig.Replace("\"vocab_size\": 32", "\"vocab_size\": 32, \"tie_word_embeddings\": true", StringComparison.Ordinal);
        await TorchOracle.InitModelAsync(model, config, seed: 5, DType.BF16);

        using var weights = SafeTensorsFile.Open(Path.Combine(model, "model.safetensors"));
        Assert.DoesNotContain("lm_head.weight", weights.Tensors.Keys);
        Assert.Equal(2 + 2 * 9, weights.Tensors.Count);
        Assert.All(weights.Tensors.Values, t => Assert.Equal(DType.BF16, t.DType));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "config.json")));
        Assert.True(json.RootElement.GetProperty("tie_word_embeddings").GetBoolean());
        Assert.Equal(6, json.RootElement.GetProperty("head_dim").GetInt32());
    }

    [Fact]
    public async Task RunGrads_TokenOutsideVocab_ThrowsWithTheScriptsMessage()
    {
        var model = await InitTinyModelAsync(DType.F32);
        var batch = Path.Combine(_dir.FullName, "bad.json");
        TorchOracle.WriteBatch(batch, [[1, 2, 99]]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => TorchOracle.RunGradsAsync(model, null, batch, Path.Combine(_dir.FullName, "never.safetensors")));
        Assert.Contains("input_ids must lie in [0, 32)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckReference_SelfCheck_AllChecksPass()
    {
        var output = await TorchOracle.RunScriptAsync("check_reference.py", [], TorchOracle.DefaultTimeout);

        Assert.Contains("checks passed", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
    }

    private async Task<string> InitTinyModelAsync(DType dtype)
    {
        var model = Path.Combine(_dir.FullName, "model");
        await TorchOracle.InitModelAsync(model, TinyConfig, seed: 1, dtype);
        return model;
    }

    private async Task<string> RunGradsAsync(string model, string? adapter)
    {
        var batch = Path.Combine(_dir.FullName, "batch.json");
        TorchOracle.WriteBatch(batch, Ids, Labels, Positions);
        var outFile = Path.Combine(_dir.FullName, "out.safetensors");
        await TorchOracle.RunGradsAsync(model, adapter, batch, outFile);
        return outFile;
    }

    private static void AssertFinite(SafeTensorsFile file)
    {
        foreach (var name in file.Tensors.Keys)
        {
            Assert.True(file.ReadFloat32(name).All(float.IsFinite), $"{name} has a non-finite value");
        }
    }
}
