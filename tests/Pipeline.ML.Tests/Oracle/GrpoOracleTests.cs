using System.Text.Json;
using Pipeline.ML.IO;
using Pipeline.ML.Losses;
using Pipeline.ML.Models;
using Pipeline.ML.Tensors;
using Pipeline.ML.Training;

namespace Pipeline.ML.Tests.Oracle;

/// <summary>
/// GRPO's loss and gradient through the whole model against PyTorch autograd (torch_reference/grpo_reference.py): fixed
/// prompt + completion rows, advantages of both signs, π_old log-probs perturbed so that tokens fall inside and outside
/// the clip range, a reference for the KL term — the loss to ~1e-5 and every weight's gradient to ~1e-4, for each
/// aggregation. Our side is the trainer's own path: GrpoTokenSums → TokenLogProbsBackward → model backward.
/// </summary>
public sealed class GrpoOracleTests : IDisposable
{
    private const int B = 4, T = 10, MaxCompletion = 6;
    private const double Beta = 0.05, Eps = 0.2, EpsHigh = 0.28;
    private static readonly int[] PromptLengths = [2, 3, 4, 3];
    private static readonly int[] CompletionLengths = [5, 6, 3, 1];
    private static readonly double[] Advantages = [1.2, -0.8, 0.5, -1.1];
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("grpo-oracle-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Theory]
    [InlineData(GrpoLossType.Grpo, "grpo")]
    [InlineData(GrpoLossType.Bnpo, "bnpo")]
    [InlineData(GrpoLossType.DrGrpo, "dr_grpo")]
    public async Task Loss_TinyLlamaFixedRows_MatchesTorchAutograd(GrpoLossType type, string torchName)
    {
        var model = new LlamaModel(new LlamaConfig
        {
            VocabSize = 31, HiddenSize = 16, IntermediateSize = 44, NumHiddenLayers = 2, NumAttentionHeads = 4,
            NumKeyValueHeads = 2, HeadDim = 4, MaxPositionEmbeddings = 32, RmsNormEps = 1e-5,
        });
        model.InitializeWeights(seed: 8, std: 0.2);
        model.SetBaseTrainable(true);
        var modelDir = Path.Combine(_dir.FullName, "model");
        LlamaCheckpoint.Save(model, modelDir);

        var rng = new Random(9);
        var ids = new List<int[]>();
        var labels = new List<int[]>();
        for (var b = 0; b < B; b++)
        {
            var row = new int[T];
            var label = Enumerable.Repeat(-100, T).ToArray();
            for (var t = 0; t < PromptLengths[b] + CompletionLengths[b]; t++)
            {
                row[t] = rng.Next(31);
                label[t] = t >= PromptLengths[b] ? row[t] : -100;
            }
            ids.Add(row);
            labels.Add(label);
        }
        var batch = TokenBatch.Create(ids, labels);
        var acts = model.CreateActivations(B, T);
        model.Forward(batch, acts);
        var logp = new Tensor(B * T);
        model.Ops.TokenLogProbs(acts.Logits, batch.Targets, logp);

        // π_old and π_ref per completion token: the policy's log-prob moved by up to ±0.35 nats (ratios 0.70–1.42).
        var old = new float[B][];
        var reference = new float[B][];
        for (var b = 0; b < B; b++)
        {
            var first = b * T + PromptLengths[b] - 1;
            old[b] = [.. Enumerable.Range(0, CompletionLengths[b]).Select(j => logp.Span[first + j] + (float)(rng.NextDouble() - 0.5) * 0.7f)];
            reference[b] = [.. Enumerable.Range(0, CompletionLengths[b]).Select(j => logp.Span[first + j] + (float)(rng.NextDouble() - 0.5) * 0.7f)];
        }

        var weights = GrpoLoss.SequenceWeights(CompletionLengths, type, MaxCompletion);
        var dlogp = new Tensor(B * T);
        var sums = new GrpoTokenSums();
        model.ZeroGrad();
        for (var b = 0; b < B; b++)
        {
            sums.Add(logp.Span, dlogp.Span, b * T + PromptLengths[b] - 1, CompletionLengths[b], Advantages[b], weights[b], old[b], reference[b], Eps, EpsHigh, Beta);
        }
        Assert.True(sums.LowClipped + sums.HighClipped > 0, "the fixed inputs should clip some tokens");
        Assert.True(sums.LowClipped + sums.HighClipped < sums.Tokens, "the fixed inputs should leave some tokens unclipped");
        model.Ops.Zero(acts.DLogits);
        model.Ops.TokenLogProbsBackward(acts.Logits, batch.Targets, dlogp, acts.DLogits);
        model.Backward(batch, acts);

        var torchOut = await RunTorchAsync(modelDir, ids, labels, old, reference, torchName);
        using var torch = SafeTensorsFile.Open(torchOut);
        Assert.Equal(torch.ReadFloat32("loss")[0], sums.Loss, 1e-5 * Math.Max(1, Math.Abs(sums.Loss)));
        foreach (var p in model.BaseParameters)
        {
            AssertClose(p.Name, torch.ReadFloat32("grad/" + p.Name), p.Grad!.Span.ToArray(), 1e-4);
        }
    }

    private async Task<string> RunTorchAsync(string modelDir, List<int[]> ids, List<int[]> labels, float[][] old, float[][] reference, string lossType)
    {
        // Torch's (B, T−1) log-prob rows: entry t scores labels[t + 1], our flat row b·T + t.
        double[][] Dense(float[][] perCompletion) => [.. Enumerable.Range(0, B).Select(b =>
        {
            var row = new double[T - 1];
            for (var j = 0; j < CompletionLengths[b]; j++)
            {
                row[PromptLengths[b] - 1 + j] = perCompletion[b][j];
            }
            return row;
        })];
        var batchFile = Path.Combine(_dir.FullName, "batch.json");
        TorchOracle.WriteBatch(batchFile, [.. ids], [.. labels]);
        var grpoFile = Path.Combine(_dir.FullName, "grpo.json");
        await File.WriteAllTextAsync(grpoFile, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["advantages"] = Advantages, ["old_logps"] = Dense(old), ["ref_logps"] = Dense(reference), ["beta"] = Beta,
            ["epsilon"] = Eps, ["epsilon_high"] = EpsHigh, ["loss_type"] = lossType, ["max_completion_length"] = MaxCompletion,
        }));
        var outFile = Path.Combine(_dir.FullName, "torch.safetensors");
        await TorchOracle.RunScriptAsync("grpo_reference.py", ["--model", modelDir, "--batch", batchFile, "--grpo", grpoFile, "--out", outFile], TorchOracle.DefaultTimeout);
        return outFile;
    }

    // Relative to the tensor's largest reference magnitude, as TorchParityTests.
    private static void AssertClose(string name, float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = Math.Max(expected.Max(x => Math.Abs((double)x)), 1e-12);
        var worst = expected.Zip(actual, (e, a) => Math.Abs((double)e - a) / scale).Max();
        Assert.True(worst <= tolerance, $"{name}: worst relative error {worst:E2} > {tolerance:E0}");
    }
}
