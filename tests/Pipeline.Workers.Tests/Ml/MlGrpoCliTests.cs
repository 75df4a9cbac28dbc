using System.Text.Json;
using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Ml;

/// <summary>`pipeline ml train grpo` as a user runs it: a tiny pretrained model trained with a verifier reward, and bad reward names reported as usage errors.</summary>
public sealed class MlGrpoCliTests() : MlCliTest("ml-grpo-cli-")
{

    // A tokenizer, a briefly pretrained tiny model (with its tokenizer.json) and train/eval prompt files with an answer column.
    private async Task PrepareAsync()
    {
        await PretrainBaseAsync(steps: 5);
        string Prompt(int i) => JsonSerializer.Serialize(new { prompt = $"{20 + i} + 3 =", answer = $"{23 + i}" });
        await File.WriteAllLinesAsync(P("prompts.jsonl"), Enumerable.Range(0, 12).Select(Prompt));
        await File.WriteAllLinesAsync(P("eval.jsonl"), Enumerable.Range(40, 4).Select(Prompt));
    }

    [Fact]
    public async Task Grpo_LoraWithVerifierReward_WritesAdapterAndTrlMetrics()
    {
        await PrepareAsync();

        await RunOkAsync("ml", "train", "grpo", "--model", P("base"), "--prompts", P("prompts.jsonl"), "--eval-prompts", P("eval.jsonl"),
            "--reward", "last_integer:answer", "--num-generations", "4", "--batch-size", "8", "--max-completion-length", "6",
            "--beta", "0.02", "--lora-r", "4", "--max-steps", "2", "--logging-steps", "1", "--learning-rate", "1e-3", "--threads", "2", "--out", P("grpo"));

        Assert.True(File.Exists(Path.Combine(Dir, "grpo", "adapter_model.safetensors")));
        Assert.True(File.Exists(Path.Combine(Dir, "grpo", "tokenizer.json")));
        var rows = (await File.ReadAllLinesAsync(Path.Combine(Dir, "grpo", "metrics.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var train = rows.Where(r => r.TryGetProperty("loss", out _)).ToList();
        Assert.Equal(2, train.Count);
        foreach (var name in new[] { "reward", "reward_std", "rewards/last_integer/mean", "frac_reward_zero_std", "kl", "clip_ratio/region_mean", "completions/mean_length", "completions/clipped_ratio" })
        {
            Assert.True(train[0].TryGetProperty(name, out _), $"metrics.jsonl has no {name}: {train[0]}");
        }
        Assert.Contains(rows, r => r.TryGetProperty("eval_reward", out _));
    }

    [Fact]
    public async Task Grpo_UnknownReward_ExitCode2ListingTheKnownOnes()
    {
        await File.WriteAllTextAsync(P("prompts.jsonl"), """{"prompt": "1 + 1 =", "answer": "2"}""");
        var (code, output) = await PipelineProcess.RunAsync(P("bad.txt"), Timeout,
            "ml", "train", "grpo", "--model", P("missing"), "--prompts", P("prompts.jsonl"), "--reward", "exact_match", "--max-steps", "1", "--out", P("grpo"));

        Assert.Equal(2, code);
        Assert.Contains("'exact_match' is not a known reward function (known: last_integer, reward_model, demo)", output);
        Assert.DoesNotContain("   at ", output);
    }
}
