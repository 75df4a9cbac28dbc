using System.Text.Json;
using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Ml;

/// <summary>`pipeline ml train dpo` as a user runs it: a LoRA DPO run with RPO on a tiny pretrained model writes an
/// adapter, TRL-named metrics and the reference cache, and resumes; a bad line is exit code 2 naming FILE:LINE.</summary>
public sealed class MlDpoCliTests() : MlCliTest("ml-dpo-cli-")
{

    private Task PretrainAsync() => PretrainBaseAsync(steps: 8, vocabSize: 280);

    private static string PairLine(int i) => JsonSerializer.Serialize(new
    {
        prompt = $"{20 + i} + 3 =",
        chosen = $" {23 + i}.",
        rejected = $" {13 + i}.",
    });

    [Fact]
    public async Task Dpo_LoraWithRpo_WritesAdapterMetricsAndReferenceCacheAndResumes()
    {
        await PretrainAsync();
        await File.WriteAllLinesAsync(P("pairs.jsonl"), Enumerable.Range(0, 24).Select(PairLine));
        await File.WriteAllLinesAsync(P("eval.jsonl"), Enumerable.Range(40, 6).Select(PairLine));
        string[] Dpo(int steps, params string[] extra) =>
        [
            "ml", "train", "dpo", "--model", P("base"), "--data", P("pairs.jsonl"), "--eval-data", P("eval.jsonl"), "--out", P("dpo"),
            "--lora-r", "4", "--beta", "0.1", "--rpo-alpha", "1", "--max-steps", $"{steps}", "--batch-size", "4",
            "--learning-rate", "1e-3", "--logging-steps", "1", "--save-steps", "3", "--threads", "2", .. extra,
        ];

        await RunOkAsync(Dpo(3));
        var resumed = await RunOkAsync(Dpo(5, "--resume", "latest"));

        Assert.Contains("resumed from", resumed);
        Assert.True(File.Exists(P("dpo/adapter_model.safetensors")));
        Assert.True(File.Exists(P("dpo/ref_logps.safetensors")));
        var rows = (await File.ReadAllLinesAsync(P("dpo/metrics.jsonl"))).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var train = rows.Where(r => r.TryGetProperty("loss", out _)).ToList();
        Assert.Equal([1, 2, 3, 4, 5], train.Select(r => r.GetProperty("step").GetInt32()));
        foreach (var name in new[] { "rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies", "logps/chosen", "logps/rejected", "nll_loss" })
        {
            Assert.True(train[^1].TryGetProperty(name, out _), $"no {name} in {train[^1]}");
        }
        Assert.Contains(rows, r => r.TryGetProperty("eval_rewards/accuracies", out _));
    }

    [Fact]
    public async Task Dpo_MalformedLine_ExitCode2NamingFileAndLine()
    {
        await PretrainAsync();
        await File.WriteAllLinesAsync(P("bad.jsonl"), [PairLine(1), """{"prompt": "1 + 1 =", "chosen": " 2."}"""]);

        var (code, output) = await PipelineProcess.RunAsync(P("bad.txt"), Timeout,
            "ml", "train", "dpo", "--model", P("base"), "--data", P("bad.jsonl"), "--out", P("dpo"), "--max-steps", "2");

        Assert.Equal(2, code);
        Assert.Contains("bad.jsonl:2", output);
        Assert.Contains("rejected", output);
        Assert.DoesNotContain("   at ", output);
    }
}
