using System.Text.Json;
using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Ml;

/// <summary>`pipeline ml train dpo` as a user runs it: a LoRA DPO run with RPO on a tiny pretrained model writes an
/// adapter, TRL-named metrics and the reference cache, and resumes; a bad line is exit code 2 naming FILE:LINE.</summary>
public sealed class MlDpoCliTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("ml-dpo-cli-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string P(string name) => Path.Combine(_dir, name);

    private async Task<string> RunOkAsync(params string[] args)
    {
        var (code, output) = await PipelineProcess.RunAsync(P("log-" + Guid.NewGuid().ToString("N")[..8] + ".txt"), Timeout, args);
        Assert.True(code == 0, $"pipeline {string.Join(' ', args)} exited {code}:\n{output}");
        return output;
    }

    private async Task PretrainAsync()
    {
        await File.WriteAllLinesAsync(P("corpus.txt"), Enumerable.Range(0, 200).Select(i => $"{10 + i % 90} + {1 + i % 9} = {11 + i % 90 + i % 9}."));
        await RunOkAsync("ml", "tokenizer", "train", "--corpus", P("corpus.txt"), "--vocab-size", "280", "--out", P("tokenizer.json"));
        await File.WriteAllTextAsync(P("config.json"), """
            {"hidden_size": 32, "intermediate_size": 64, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2, "max_position_embeddings": 64, "tie_word_embeddings": true}
            """);
        await RunOkAsync("ml", "train", "pretrain", "--corpus", P("corpus.txt"), "--tokenizer", P("tokenizer.json"), "--config", P("config.json"),
            "--out", P("base"), "--max-steps", "8", "--batch-size", "4", "--seq-len", "16", "--threads", "2");
    }

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
