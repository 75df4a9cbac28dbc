using System.Text.Json;
using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Ml;

/// <summary>
/// `pipeline ml …` as a user runs it, as real processes: tokenizer → pretraining → LoRA SFT → generation, a
/// kill -9 in the middle of training resumed to the same result, and bad input reported as FILE:LINE.
/// </summary>
public sealed class MlCliTests() : MlCliTest("ml-cli-")
{
    private async Task<(string Tokenizer, string Config)> PrepareAsync()
    {
        await PrepareCorpusAsync(lines: 400);
        return (P("tokenizer.json"), P("config.json"));
    }

    private static string[] Pretrain(string tokenizer, string config, string corpus, string outDir, params string[] extra) =>
        PretrainSteps(12, tokenizer, config, corpus, outDir, extra);

    private static string[] PretrainSteps(int steps, string tokenizer, string config, string corpus, string outDir, params string[] extra) =>
    [
        "ml", "train", "pretrain", "--corpus", corpus, "--tokenizer", tokenizer, "--config", config, "--out", outDir,
        "--max-steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--batch-size", "4", "--seq-len", "16", "--learning-rate", "3e-3", "--logging-steps", "1",
        "--threads", "2", .. extra,
    ];

    [Fact]
    public async Task Recipe_PretrainSftGenerate_EachStepWritesWhatTheNextReads()
    {
        var (tokenizer, config) = await PrepareAsync();
        await RunOkAsync(Pretrain(tokenizer, config, P("corpus.txt"), P("base")));
        Assert.True(File.Exists(Path.Combine(Dir, "base", "model.safetensors")));

        var sft = Enumerable.Range(0, 40).Select(i => JsonSerializer.Serialize(new
        {
            messages = new[] { new { role = "user", content = $"What is {20 + i} + 3?" }, new { role = "assistant", content = $"{20 + i} + 3 = {23 + i}." } },
        }));
        await File.WriteAllLinesAsync(P("sft.jsonl"), sft);
        await RunOkAsync("ml", "train", "sft", "--model", P("base"), "--data", P("sft.jsonl"), "--out", P("sft"), "--packing",
            "--lora-r", "4", "--lora-targets", "q_proj,v_proj", "--max-steps", "5", "--batch-size", "2", "--seq-len", "48", "--logging-steps", "1");
        Assert.True(File.Exists(Path.Combine(Dir, "sft", "adapter_model.safetensors")));
        Assert.Contains("\"peft_type\": \"LORA\"", await File.ReadAllTextAsync(Path.Combine(Dir, "sft", "adapter_config.json")));

        var output = await RunOkAsync("ml", "generate", "--model", P("base"), "--adapter", P("sft"), "--chat", "--max-new-tokens", "8", "What is 41 + 3?");
        using var json = JsonDocument.Parse(output[output.IndexOf('[')..(output.LastIndexOf(']') + 1)]);
        Assert.Equal(1, json.RootElement.GetArrayLength());
        Assert.InRange(json.RootElement[0].GetProperty("tokens").GetInt32(), 1, 8);

        // Merged into the base, the adapter decodes the same tokens as it does beside it.
        await RunOkAsync("ml", "merge", "--model", P("base"), "--adapter", P("sft"), "--out", P("merged"));
        var merged = await RunOkAsync("ml", "generate", "--model", P("merged"), "--chat", "--max-new-tokens", "8", "What is 41 + 3?");
        Assert.Equal(output[output.IndexOf('[')..(output.LastIndexOf(']') + 1)], merged[merged.IndexOf('[')..(merged.LastIndexOf(']') + 1)]);
        Assert.False(File.Exists(Path.Combine(Dir, "merged", "adapter_config.json")));
    }

    [Fact]
    public async Task Pretrain_KilledAfterACheckpointThenResumed_EndsExactlyWhereAnUninterruptedRunEnds()
    {
        var (tokenizer, config) = await PrepareAsync();
        const int Steps = 150;
        await RunOkAsync(PretrainSteps(Steps, tokenizer, config, P("corpus.txt"), P("straight"), "--save-steps", "4"));

        await using (var run = PipelineProcess.Start(P("killed.txt"), PretrainSteps(Steps, tokenizer, config, P("corpus.txt"), P("killed"), "--save-steps", "4")))
        {
            // Kill as soon as a complete checkpoint exists (older ones are rotated away, so look for any).
            var deadline = DateTime.UtcNow + Timeout;
            while (Checkpoints(P("killed")).Length == 0 && !run.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(10);
            }
            await run.KillAsync();
        }
        Assert.True(Checkpoints(P("killed")).Length > 0, File.ReadAllText(P("killed.txt")));
        Assert.False(File.Exists(Path.Combine(Dir, "killed", "model.safetensors")), "the run finished before it was killed");
        var resumed = await RunOkAsync(PretrainSteps(Steps, tokenizer, config, P("corpus.txt"), P("killed"), "--save-steps", "4", "--resume", "latest"));
        Assert.Matches(@"resumed from .*checkpoint-\d+ at step \d+", resumed);
        Assert.DoesNotContain($"checkpoint-{Steps} at step", resumed);

        // The metrics log reads as one run: every step once, in order.
        var trainRows = (await File.ReadAllLinesAsync(Path.Combine(Dir, "killed", "metrics.jsonl")))
            .Select(l => JsonDocument.Parse(l).RootElement).Where(r => r.TryGetProperty("loss", out _))
            .Select(r => r.GetProperty("step").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, Steps).Select(i => (long)i), trainRows);
        Assert.Equal(
            await File.ReadAllBytesAsync(Path.Combine(Dir, "straight", "model.safetensors")),
            await File.ReadAllBytesAsync(Path.Combine(Dir, "killed", "model.safetensors")));
    }

    private static string[] Checkpoints(string dir) =>
        Directory.Exists(dir) ? Directory.GetDirectories(dir, "checkpoint-*").Where(d => !d.EndsWith(".tmp", StringComparison.Ordinal)).ToArray() : [];

    [Fact]
    public async Task Sft_MalformedLine_ExitCode2NamingFileAndLine()
    {
        var (tokenizer, config) = await PrepareAsync();
        await RunOkAsync(Pretrain(tokenizer, config, P("corpus.txt"), P("base")));
        await File.WriteAllLinesAsync(P("bad.jsonl"),
        [
            """{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}""",
            """{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": 5}]}""",
        ]);
        var (code, output) = await PipelineProcess.RunAsync(P("bad.txt"), Timeout,
            "ml", "train", "sft", "--model", P("base"), "--data", P("bad.jsonl"), "--out", P("sft"), "--max-steps", "2");

        Assert.Equal(2, code);
        Assert.Contains("bad.jsonl:2", output);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public async Task Grads_WithAdapter_WritesLogitsLossAndOneGradientPerAdapterWeight()
    {
        var (tokenizer, config) = await PrepareAsync();
        await RunOkAsync(Pretrain(tokenizer, config, P("corpus.txt"), P("base")));
        var model = Pipeline.ML.Models.LlamaCheckpoint.Load(P("base"));
        var adapter = Pipeline.ML.Lora.LoraAdapter.Create("a", new Pipeline.ML.Lora.LoraConfig { R = 2, Targets = Pipeline.ML.Lora.LoraTarget.All }, model.Config, 1);
        Pipeline.ML.Lora.PeftAdapterFormat.Save(adapter, P("adapter"));
        await File.WriteAllTextAsync(P("batch.json"), """{"input_ids": [[1, 2, 3, 4], [5, 6, 7, 8]], "labels": [[-100, 2, 3, 4], [5, 6, -100, 8]]}""");

        await RunOkAsync("ml", "grads", "--model", P("base"), "--adapter", P("adapter"), "--batch", P("batch.json"), "--out", P("g.safetensors"));

        using var st = Pipeline.ML.IO.SafeTensorsFile.Open(P("g.safetensors"));
        Assert.Equal([2L, 4, model.Config.VocabSize], st.GetInfo("logits").Shape);
        Assert.True(float.IsFinite(st.ReadFloat32("loss")[0]));
        var grads = st.Tensors.Keys.Where(k => k.StartsWith("grad/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        Assert.Equal(adapter.Parameters.Select(p => "grad/" + p.Name).Order(StringComparer.Ordinal), grads);
    }

    [Fact]
    public async Task Grads_CorruptModel_ExitCode2NamingTheFile()
    {
        Directory.CreateDirectory(P("broken"));
        await File.WriteAllTextAsync(P("broken/config.json"), """{"vocab_size": 8, "hidden_size": 8, "intermediate_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2}""");
        await File.WriteAllBytesAsync(P("broken/model.safetensors"), [1, 2, 3]);
        await File.WriteAllTextAsync(P("batch.json"), """{"input_ids": [[1, 2, 3]]}""");
        var (code, output) = await PipelineProcess.RunAsync(P("grads.txt"), Timeout,
            "ml", "grads", "--model", P("broken"), "--batch", P("batch.json"), "--out", P("g.safetensors"));

        Assert.Equal(2, code);
        Assert.Contains("model.safetensors", output);
        Assert.DoesNotContain("   at ", output);
    }
}
