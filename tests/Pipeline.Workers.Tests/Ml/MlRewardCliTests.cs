using System.Text.Json;
using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Ml;

/// <summary>`pipeline ml train reward` as a user runs it: a LoRA reward model trained on preference pairs writes a
/// standalone reward model (plus its adapter) and TRL-named metrics, resumes from its checkpoint, and then labels sampled completions as
/// `collect-preferences --labeler reward-model:DIR` and scores rollouts as `train grpo --reward reward_model:DIR`; a bad
/// line is exit code 2 naming FILE:LINE.</summary>
public sealed class MlRewardCliTests() : MlCliTest("ml-reward-cli-")
{

    private Task PretrainAsync() => PretrainBaseAsync(steps: 8, vocabSize: 280);

    private static string PairLine(int i) => JsonSerializer.Serialize(new { prompt = $"{20 + i} + 3 =", chosen = $" {23 + i}.", rejected = $" {13 + i}." });

    [Fact]
    public async Task Reward_Lora_WritesStandaloneModelMetricsAndServesAsLabelerAndGrpoReward()
    {
        await PretrainAsync();
        await File.WriteAllLinesAsync(P("pairs.jsonl"), Enumerable.Range(0, 24).Select(PairLine));
        await File.WriteAllLinesAsync(P("eval.jsonl"), Enumerable.Range(40, 6).Select(PairLine));
        await File.WriteAllLinesAsync(P("prompts.jsonl"), Enumerable.Range(0, 4).Select(i => JsonSerializer.Serialize(new { prompt = $"{30 + i} + 3 =", answer = $"{33 + i}" })));

        string[] Reward(int steps, params string[] extra) =>
        [
            "ml", "train", "reward", "--model", P("base"), "--data", P("pairs.jsonl"), "--eval-data", P("eval.jsonl"), "--out", P("rm"),
            "--lora-r", "4", "--max-steps", $"{steps}", "--batch-size", "4", "--learning-rate", "1e-3", "--logging-steps", "1",
            "--save-steps", "3", "--threads", "2", .. extra,
        ];
        await RunOkAsync(Reward(3));
        var resumed = await RunOkAsync(Reward(6, "--resume", "latest"));
        await RunOkAsync("ml", "collect-preferences", "--model", P("base"), "--prompts", P("prompts.jsonl"), "--samples-per-prompt", "3",
            "--max-new-tokens", "4", "--labeler", "reward-model:" + P("rm"), "--good-threshold=-Infinity", "--out", P("prefs"));
        await RunOkAsync("ml", "train", "grpo", "--model", P("base"), "--prompts", P("prompts.jsonl"), "--reward", "reward_model:" + P("rm"),
            "--num-generations", "2", "--max-completion-length", "4", "--max-steps", "1", "--batch-size", "4", "--out", P("grpo"), "--threads", "2");

        Assert.Contains("resumed from", resumed);
        Assert.True(File.Exists(P("rm/checkpoint-6/optimizer.safetensors")));
        Assert.True(File.Exists(P("rm/model.safetensors")));
        Assert.True(File.Exists(P("rm/adapter/adapter_model.safetensors")));
        Assert.Contains("LlamaForSequenceClassification", await File.ReadAllTextAsync(P("rm/config.json")));
        var rows = (await File.ReadAllLinesAsync(P("rm/metrics.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        foreach (var name in new[] { "loss", "accuracy", "margin", "mean_reward", "grad_norm", "learning_rate" })
        {
            Assert.Contains(rows, r => r.TryGetProperty(name, out _));
        }
        Assert.Contains(rows, r => r.TryGetProperty("eval_accuracy", out _));
        // Steps 1-3 from the first run (read back from checkpoint-3), 4-6 from the resumed one, none twice.
        Assert.Equal([1L, 2, 3, 4, 5, 6], rows.Where(r => r.TryGetProperty("loss", out _)).Select(r => r.GetProperty("step").GetInt64()));
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(P("prefs/v1/summary.json")));
        Assert.Contains("reward_model", summary.RootElement.GetProperty("labeler").ToString());
        var grpo = (await File.ReadAllLinesAsync(P("grpo/metrics.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(grpo, r => r.TryGetProperty("rewards/reward_model/mean", out _));
    }

    [Fact]
    public async Task Reward_MalformedLine_ExitCode2NamingFileAndLine()
    {
        await PretrainAsync();
        await File.WriteAllLinesAsync(P("bad.jsonl"), [PairLine(1), """{"prompt": "1 + 1 =", "chosen": 2, "rejected": " 3."}"""]);

        var (code, output) = await PipelineProcess.RunAsync(P("bad.txt"), Timeout,
            "ml", "train", "reward", "--model", P("base"), "--data", P("bad.jsonl"), "--out", P("rm"), "--max-steps", "2");

        Assert.Equal(2, code);
        Assert.Contains("bad.jsonl:2", output);
        Assert.Contains("chosen", output);
        Assert.DoesNotContain("   at ", output);
    }
}
