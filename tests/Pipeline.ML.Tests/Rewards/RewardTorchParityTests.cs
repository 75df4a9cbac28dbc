using System.Text.Json;
using Pipeline.ML.IO;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tests.Oracle;

namespace Pipeline.ML.Tests.Rewards;

/// <summary>
/// The reward model and the Bradley–Terry loss against PyTorch autograd (torch_reference/reward_reference.py, HF's
/// LlamaForSequenceClassification pooling on llama_model.py): rewards and loss to 1e-5, every trainable gradient to
/// 1e-4 relative to the tensor's largest reference magnitude, as TorchParityTests. Like those, these fail (never skip)
/// when torch is missing.
/// </summary>
public sealed class RewardTorchParityTests : IDisposable
{
    private const double Center = 0.01;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("reward-parity-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [MemberData(nameof(TorchParityTests.Configs), MemberType = typeof(TorchParityTests))]
    public async Task FullModel_RewardsLossAndGradients_MatchAutograd(string name, string config)
    {
        var model = await RewardModelFromTorchAsync(name, config);
        var rmDir = Path.Combine(_dir.FullName, name + "-rm");
        RewardCheckpoint.Save(model, rmDir);

        var torch = await RunOracleAsync(rmDir, adapterDir: null, Pairs(model.Config.VocabSize));

        var ours = Run(RewardCheckpoint.Load(rmDir), Pairs(model.Config.VocabSize), fullModel: true);
        AssertParity(torch, ours);
    }

    [Fact]
    public async Task Lora_AdapterAndHeadWrittenByUs_MatchAutograd()
    {
        var model = await RewardModelFromTorchAsync("gqa", TorchParityTests.Configs.ElementAt(1)[1].ToString()!);
        var rmDir = Path.Combine(_dir.FullName, "rm");
        RewardCheckpoint.Save(model, rmDir);
        var adapter = LoraAdapter.Create("default", new LoraConfig { R = 3, Alpha = 5, Targets = LoraTarget.All }, model.Backbone.Config, seed: 8);
        var rng = new Random(9);
        foreach (var w in adapter.Weights.Values)
        {
            var span = w.B.Value.Span;
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = (float)(rng.NextDouble() - 0.5); // non-zero B, so the adapter matters
            }
        }
        model.Backbone.AddAdapter(adapter);
        model.Backbone.SetActiveAdapter("default");
        var adapterDir = Path.Combine(_dir.FullName, "adapter");
        RewardCheckpoint.SaveAdapter(model, adapterDir);

        var torch = await RunOracleAsync(rmDir, adapterDir, Pairs(model.Config.VocabSize));

        var reloaded = RewardCheckpoint.Load(rmDir);
        RewardCheckpoint.LoadAdapter(reloaded, adapterDir).SetTrainable(true);
        AssertParity(torch, Run(reloaded, Pairs(model.Config.VocabSize), fullModel: false));
    }

    // A causal LM written by torch, turned into a reward model here; a large head (std 0.5) so rewards and margins
    // are far from 0 and the loss is not flat.
    private async Task<RewardModel> RewardModelFromTorchAsync(string name, string config)
    {
        var lmDir = Path.Combine(_dir.FullName, name);
        await TorchOracle.InitModelAsync(lmDir, config, seed: 31);
        return RewardCheckpoint.FromCausalLm(lmDir, seed: 32, std: 0.5);
    }

    // Rows of different lengths in both halves, so padding and the last-token read are exercised.
    private static (int[][] Chosen, int[][] Rejected) Pairs(int vocab)
    {
        var rng = new Random(41);
        int[] Row(int n) => Enumerable.Range(0, n).Select(_ => rng.Next(vocab)).ToArray();
        return ([Row(7), Row(3), Row(11)], [Row(9), Row(5), Row(4)]);
    }

    private async Task<Dictionary<string, float[]>> RunOracleAsync(string modelDir, string? adapterDir, (int[][] Chosen, int[][] Rejected) pairs)
    {
        var pairsFile = Path.Combine(_dir.FullName, $"pairs-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(pairsFile, JsonSerializer.Serialize(new { chosen = pairs.Chosen, rejected = pairs.Rejected }));
        var outFile = Path.Combine(_dir.FullName, $"torch-{Guid.NewGuid():N}.safetensors");
        List<string> args = ["--model", modelDir, "--pairs", pairsFile, "--out", outFile, "--center", Center.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (adapterDir is not null)
        {
            args.AddRange(["--adapter", adapterDir]);
        }
        await TorchOracle.RunScriptAsync("reward_reference.py", args, TorchOracle.DefaultTimeout);
        using var file = SafeTensorsFile.Open(outFile);
        return file.Tensors.Keys.ToDictionary(k => k, file.ReadFloat32);
    }

    // Our forward, loss and backward on the same pairs, under the oracle's names.
    private static Dictionary<string, float[]> Run(RewardModel model, (int[][] Chosen, int[][] Rejected) pairs, bool fullModel)
    {
        if (fullModel)
        {
            model.Backbone.SetBaseTrainable(true);
        }
        var p = pairs.Chosen.Length;
        var batch = RewardBatch.Create([.. pairs.Chosen, .. pairs.Rejected]);
        var acts = model.CreateActivations(batch.Batch, batch.Tokens.SeqLen);
        model.ZeroGrad();
        model.Forward(batch, acts);
        var d = new float[2 * p];
        var rewards = acts.Rewards.AsSpan();
        var stats = BradleyTerryLoss.Compute(rewards[..p], rewards[p..], d.AsSpan(0, p), d.AsSpan(p), 1.0 / p, Center);
        model.Backward(batch, acts, d);
        var result = new Dictionary<string, float[]>
        {
            ["rewards_chosen"] = rewards[..p].ToArray(),
            ["rewards_rejected"] = rewards[p..].ToArray(),
            ["loss"] = [(float)stats.Loss],
        };
        foreach (var param in model.TrainableParameters)
        {
            // PEFT saves the head trained beside an adapter as base_model.model.score.weight.
            var name = !fullModel && param == model.Head ? "base_model.model.score.weight" : param.Name;
            result["grad/" + name] = param.Grad!.Span.ToArray();
        }
        return result;
    }

    private static void AssertParity(Dictionary<string, float[]> torch, Dictionary<string, float[]> ours)
    {
        Assert.Equal(torch.Keys.Order(StringComparer.Ordinal), ours.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, expected) in torch)
        {
            var tolerance = name.StartsWith("grad/", StringComparison.Ordinal) ? 1e-4 : 1e-5;
            var actual = ours[name];
            Assert.Equal(expected.Length, actual.Length);
            var scale = Math.Max(expected.Max(x => Math.Abs((double)x)), 1e-12);
            var worst = expected.Zip(actual).Select((x, i) => (Err: Math.Abs((double)x.First - x.Second) / scale, At: i)).MaxBy(x => x.Err);
            Assert.True(worst.Err <= tolerance,
                $"{name}: worst relative error {worst.Err:E2} at [{worst.At}] (torch {expected[worst.At]:G9}, ours {actual[worst.At]:G9}) > {tolerance:E0}");
        }
    }
}
