using System.Text.Json;
using Pipeline.ML.Data;
using Pipeline.ML.IO;
using Pipeline.ML.Lora;
using Pipeline.ML.Losses;
using Pipeline.ML.Models;
using Pipeline.ML.Tensors;
using Pipeline.ML.Training;

namespace Pipeline.ML.Tests.Oracle;

/// <summary>
/// The DPO objective through the whole model against PyTorch autograd (torch_reference/dpo_reference.py, TRL's
/// formulas on the plain-torch LLaMA): the loss to ~1e-5 and every trainable gradient to ~1e-4 of its tensor's scale,
/// for each loss type, with and without RPO's NLL term, full weights and LoRA.
/// </summary>
public sealed class DpoParityTests : IDisposable
{
    private const string Config = """{"vocab_size": 41, "hidden_size": 30, "intermediate_size": 50, "num_hidden_layers": 2, "num_attention_heads": 6, "num_key_value_heads": 2, "head_dim": 6, "rms_norm_eps": 1e-6, "tie_word_embeddings": true, "max_position_embeddings": 64}""";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("dpo-parity-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData(DpoLossType.Sigmoid, 0.1, null, 0.0)]
    [InlineData(DpoLossType.Sigmoid, 0.5, 1.0, 0.0)]
    [InlineData(DpoLossType.Sigmoid, 0.3, null, 0.2)]
    [InlineData(DpoLossType.Hinge, 0.2, null, 0.0)]
    [InlineData(DpoLossType.Ipo, 0.1, null, 0.0)]
    [InlineData(DpoLossType.SimPO, 2.0, 0.5, 0.1)]
    public async Task FullModel_EachLoss_MatchesAutograd(DpoLossType type, double beta, double? rpoAlpha, double smoothing)
    {
        var modelDir = Path.Combine(_dir.FullName, "model");
        await TorchOracle.InitModelAsync(modelDir, Config, seed: 31);
        var options = new DpoOptions { LossType = type, Beta = beta, RpoAlpha = rpoAlpha, LabelSmoothing = smoothing, SimpoGamma = 0.6 };
        await AssertParityAsync(modelDir, adapterDir: null, options);
    }

    [Fact]
    public async Task Lora_SigmoidWithRpo_MatchesAutograd()
    {
        var modelDir = Path.Combine(_dir.FullName, "model");
        await TorchOracle.InitModelAsync(modelDir, Config, seed: 32);
        var adapterDir = Path.Combine(_dir.FullName, "adapter");
        await TorchOracle.InitAdapterAsync(adapterDir, modelDir, r: 3, alpha: 5, ["q_proj", "v_proj", "down_proj"], seed: 33);
        await AssertParityAsync(modelDir, adapterDir, new DpoOptions { Beta = 0.2, RpoAlpha = 1.0 });
    }

    private async Task AssertParityAsync(string modelDir, string? adapterDir, DpoOptions options)
    {
        // Prompts and completions of different lengths, so padding, offsets and length normalisation all matter.
        var rng = new Random(5);
        int[] Ids(int n) => [.. Enumerable.Range(0, n).Select(_ => 1 + rng.Next(40))];
        PreferenceExample[] pairs =
        [
            new(Ids(3), Ids(4), Ids(2), 1),
            new(Ids(5), Ids(1), Ids(5), 2),
            new(Ids(2), Ids(6), Ids(3), 3),
        ];
        var seqLen = pairs.Max(p => p.Length);
        var batch = PreferenceBatch.Create(pairs, seqLen, padId: 0);
        (double Chosen, double Rejected)[] reference = [(-9.25, -7.5), (-3.125, -12.0), (-14.5, -6.75)];

        var spec = new Dictionary<string, object?>
        {
            ["input_ids"] = Rows(batch.Tokens.InputIds, seqLen),
            ["labels"] = Labels(pairs, seqLen),
            ["ref_chosen"] = reference.Select(r => r.Chosen).ToArray(),
            ["ref_rejected"] = reference.Select(r => r.Rejected).ToArray(),
            ["loss_type"] = options.LossType.ToString().ToLowerInvariant(),
            ["beta"] = options.EffectiveBeta,
            ["label_smoothing"] = options.LabelSmoothing,
            ["simpo_gamma"] = options.EffectiveSimpoGamma,
            ["rpo_alpha"] = options.RpoAlpha,
        };
        var specFile = Path.Combine(_dir.FullName, $"pairs-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(specFile, JsonSerializer.Serialize(spec));
        var torchOut = Path.Combine(_dir.FullName, $"torch-{Guid.NewGuid():N}.safetensors");
        List<string> args = ["--model", modelDir, "--pairs", specFile, "--out", torchOut];
        if (adapterDir is not null)
        {
            args.AddRange(["--adapter", adapterDir]);
        }
        await TorchOracle.RunScriptAsync("dpo_reference.py", args, TorchOracle.DefaultTimeout);

        var model = LlamaCheckpoint.Load(modelDir);
        if (adapterDir is not null)
        {
            var adapter = PeftAdapterFormat.Load(adapterDir, "default", model.Config);
            model.AddAdapter(adapter);
            model.SetActiveAdapter("default");
            adapter.SetTrainable(true);
        }
        else
        {
            model.SetBaseTrainable(true);
        }
        var acts = model.CreateActivations(batch.Tokens.Batch, seqLen);
        var (logp, dlogp) = (new Tensor(batch.Tokens.Rows), new Tensor(batch.Tokens.Rows));
        var metrics = new DpoMetrics();
        var chosenTokens = pairs.Sum(p => p.Chosen.Length);
        model.ZeroGrad();
        model.Forward(batch.Tokens, acts);
        DpoObjective.Run(model, acts, batch, reference, options, logp, dlogp, metrics,
            pairWeight: 1.0 / pairs.Length, nllWeight: (options.RpoAlpha ?? 0) / chosenTokens, backward: true);
        model.Backward(batch.Tokens, acts);

        using var torch = SafeTensorsFile.Open(torchOut);
        var expectedLoss = torch.ReadFloat32("loss")[0];
        Assert.True(Math.Abs(metrics.Loss(options.RpoAlpha) - expectedLoss) <= 1e-5 * Math.Max(1, Math.Abs(expectedLoss)),
            $"loss: torch {expectedLoss:G9}, ours {metrics.Loss(options.RpoAlpha):G9}");
        var grads = model.TrainableParameters.ToDictionary(p => "grad/" + p.Name);
        Assert.Equal(torch.Tensors.Keys.Where(k => k != "loss").Order(StringComparer.Ordinal), grads.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, p) in grads)
        {
            AssertClose(name, torch.ReadFloat32(name), p.Grad!.Span.ToArray(), 1e-4);
        }
    }

    private static int[][] Rows(int[] flat, int seqLen) => [.. flat.Chunk(seqLen)];

    private static int[][] Labels(PreferenceExample[] pairs, int seqLen) =>
        [.. pairs.Select(p => p.Chosen).Concat(pairs.Select(p => p.Rejected)).Zip(pairs.Concat(pairs)).Select(x =>
        {
            var (completion, pair) = x;
            var labels = Enumerable.Repeat(-100, seqLen).ToArray();
            completion.CopyTo(labels, pair.Prompt.Length);
            return labels;
        })];

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
