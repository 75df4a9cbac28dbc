using Pipeline.ML.IO;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;

namespace Pipeline.ML.Tests.Oracle;

/// <summary>
/// The whole model against PyTorch autograd (torch_reference/llama_reference.py): logits and loss to ~1e-5 relative, every
/// trainable gradient to ~1e-4, for several configs, packed batches and LoRA — with checkpoints and adapters written
/// by PyTorch and loaded here, and written here and loaded by PyTorch.
/// </summary>
public sealed class TorchParityTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("parity-");

    public void Dispose() => _dir.Delete(recursive: true);

    public static TheoryData<string, string> Configs => new()
    {
        // name, config.json fields
        { "mha-untied", """{"vocab_size": 37, "hidden_size": 24, "intermediate_size": 56, "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 4, "rms_norm_eps": 1e-5, "max_position_embeddings": 64}""" },
        { "gqa-tied-odd", """{"vocab_size": 41, "hidden_size": 30, "intermediate_size": 50, "num_hidden_layers": 3, "num_attention_heads": 6, "num_key_value_heads": 2, "head_dim": 6, "rms_norm_eps": 1e-6, "rope_theta": 500.0, "tie_word_embeddings": true, "max_position_embeddings": 64}""" },
        { "mqa-untied", """{"vocab_size": 29, "hidden_size": 20, "intermediate_size": 36, "num_hidden_layers": 2, "num_attention_heads": 5, "num_key_value_heads": 1, "head_dim": 4, "rms_norm_eps": 1e-5, "max_position_embeddings": 64}""" },
    };

    [Theory]
    [MemberData(nameof(Configs))]
    public async Task FullModel_TorchCheckpoint_MatchesAutograd(string name, string config)
    {
        var model = Path.Combine(_dir.FullName, name);
        await TorchOracle.InitModelAsync(model, config, seed: 11);
        await AssertParityAsync(model, adapterDir: null, Batch(LlamaConfigJson.Load(Path.Combine(model, "config.json")).VocabSize, packed: false));
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public async Task FullModel_PackedBatch_MatchesAutograd(string name, string config)
    {
        var model = Path.Combine(_dir.FullName, name);
        await TorchOracle.InitModelAsync(model, config, seed: 12);
        await AssertParityAsync(model, adapterDir: null, Batch(LlamaConfigJson.Load(Path.Combine(model, "config.json")).VocabSize, packed: true));
    }

    [Fact]
    public async Task FullModel_Bf16TorchCheckpoint_LoadsAndMatches()
    {
        var model = Path.Combine(_dir.FullName, "bf16");
        await TorchOracle.InitModelAsync(model, Configs.First()[1].ToString()!, seed: 13, DType.BF16);
        await AssertParityAsync(model, adapterDir: null, Batch(37, packed: false));
    }

    [Fact]
    public async Task Lora_TorchAdapterOnAllProjections_MatchesAutograd()
    {
        var model = Path.Combine(_dir.FullName, "base");
        await TorchOracle.InitModelAsync(model, Configs.ElementAt(1)[1].ToString()!, seed: 14);
        var adapter = Path.Combine(_dir.FullName, "adapter");
        await TorchOracle.InitAdapterAsync(adapter, model, r: 3, alpha: 5, ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"], seed: 15);
        await AssertParityAsync(model, adapter, Batch(41, packed: true));
    }

    [Fact]
    public async Task OurCheckpointAndAdapter_LoadInPyTorch_SameOutputs()
    {
        // Written by us: a model with GQA and untied head, and an adapter on q/v with non-zero B.
        var ours = new LlamaModel(new LlamaConfig
        {
            VocabSize = 31, HiddenSize = 16, IntermediateSize = 44, NumHiddenLayers = 2, NumAttentionHeads = 4,
            NumKeyValueHeads = 2, HeadDim = 4, MaxPositionEmbeddings = 32, RmsNormEps = 1e-5,
        });
        ours.InitializeWeights(seed: 3, std: 0.2);
        var model = Path.Combine(_dir.FullName, "ours");
        LlamaCheckpoint.Save(ours, model);
        var lora = LoraAdapter.Create("a", new LoraConfig { R = 2, Alpha = 3, Targets = LoraTarget.QProj | LoraTarget.VProj }, ours.Config, seed: 4);
        var rng = new Random(5);
        foreach (var w in lora.Weights.Values)
        {
            var span = w.B.Value.Span;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (float)(rng.NextDouble() - 0.5);
            }
        }
        var adapter = Path.Combine(_dir.FullName, "ours-adapter");
        PeftAdapterFormat.Save(lora, adapter);

        await AssertParityAsync(model, adapterDir: null, Batch(31, packed: false));
        await AssertParityAsync(model, adapter, Batch(31, packed: false));
    }

    private static (int[][] Ids, int[][] Labels, int[][] Positions) Batch(int vocab, bool packed)
    {
        var rng = new Random(21);
        const int B = 3, T = 11;
        var ids = Enumerable.Range(0, B).Select(_ => Enumerable.Range(0, T).Select(_ => rng.Next(vocab)).ToArray()).ToArray();
        var labels = ids.Select(r => r.Select((t, i) => i < 3 ? -100 : t).ToArray()).ToArray();
        var positions = ids.Select((r, b) => Enumerable.Range(0, T).Select(i => packed && b != 1 && i >= 4 + b ? i - 4 - b : i).ToArray()).ToArray();
        if (packed)
        {
            // The boundary target is masked, as the packer does.
            labels[0][4] = -100;
            labels[2][6] = -100;
        }
        return (ids, labels, positions);
    }

    private async Task AssertParityAsync(string modelDir, string? adapterDir, (int[][] Ids, int[][] Labels, int[][] Positions) batch)
    {
        var batchFile = Path.Combine(_dir.FullName, $"batch-{Guid.NewGuid():N}.json");
        TorchOracle.WriteBatch(batchFile, batch.Ids, batch.Labels, batch.Positions);
        var torchOut = Path.Combine(_dir.FullName, $"torch-{Guid.NewGuid():N}.safetensors");
        await TorchOracle.RunGradsAsync(modelDir, adapterDir, batchFile, torchOut);

        var model = LlamaCheckpoint.Load(modelDir);
        if (adapterDir is not null)
        {
            model.AddAdapter(PeftAdapterFormat.Load(adapterDir, "default", model.Config));
            model.SetActiveAdapter("default");
        }
        var ours = SafeTensorsFile.Read(GradientReport.Compute(model, TokenBatchJson.Load(batchFile)).ToArray());
        using var torch = SafeTensorsFile.Open(torchOut);

        Assert.Equal(torch.Tensors.Keys.Order(StringComparer.Ordinal), ours.Tensors.Keys.Order(StringComparer.Ordinal));
        foreach (var name in torch.Tensors.Keys)
        {
            var tolerance = name.StartsWith("grad/", StringComparison.Ordinal) ? 1e-4 : 1e-5;
            AssertClose(name, torch.ReadFloat32(name), ours.ReadFloat32(name), tolerance);
        }
    }

    // Relative to the tensor's largest reference magnitude: near-zero elements are judged on the tensor's scale.
    private static void AssertClose(string name, float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = Math.Max(expected.Max(x => Math.Abs((double)x)), 1e-12);
        var worst = 0.0;
        var at = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var err = Math.Abs((double)expected[i] - actual[i]) / scale;
            if (err > worst)
            {
                (worst, at) = (err, i);
            }
        }
        Assert.True(worst <= tolerance,
            $"{name}: worst relative error {worst:E2} at [{at}] (torch {expected[at]:G9}, ours {actual[at]:G9}, scale {scale:G4}) > {tolerance:E0}");
    }
}
