using System.Text.Json;
using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Ml;

/// <summary>`pipeline ml train sft --load-in-4bit` (QLoRA) and `ml generate --load-in-4bit`, as real processes.</summary>
public sealed class QLoraCliTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private readonly string _dir = Directory.CreateTempSubdirectory("qlora-cli-").FullName;

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

    // A tokenizer, a two-step pretrained base (its weights only need to exist) and a small chat SFT file.
    private async Task PrepareAsync()
    {
        await File.WriteAllLinesAsync(P("corpus.txt"), Enumerable.Range(0, 200).Select(i => $"{10 + i % 90} + {1 + i % 9} = {11 + i % 90 + i % 9}."));
        await RunOkAsync("ml", "tokenizer", "train", "--corpus", P("corpus.txt"), "--vocab-size", "300", "--out", P("tokenizer.json"));
        await File.WriteAllTextAsync(P("config.json"), """
            {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2, "max_position_embeddings": 64, "tie_word_embeddings": true}
            """);
        await RunOkAsync("ml", "train", "pretrain", "--corpus", P("corpus.txt"), "--tokenizer", P("tokenizer.json"), "--config", P("config.json"),
            "--out", P("base"), "--max-steps", "2", "--batch-size", "2", "--seq-len", "16", "--threads", "2");
        await File.WriteAllLinesAsync(P("sft.jsonl"), Enumerable.Range(0, 30).Select(i => JsonSerializer.Serialize(new
        {
            messages = new[] { new { role = "user", content = $"What is {20 + i} + 3?" }, new { role = "assistant", content = $"{23 + i}." } },
        })));
    }

    [Fact]
    public async Task SftLoadIn4Bit_WithLora_TrainsAdapterReportsBitsAndGenerates()
    {
        await PrepareAsync();
        var output = await RunOkAsync("ml", "train", "sft", "--model", P("base"), "--data", P("sft.jsonl"), "--out", P("qlora"),
            "--load-in-4bit", "--lora-r", "4", "--max-steps", "3", "--batch-size", "2", "--seq-len", "32", "--threads", "2");

        Assert.Matches(@"load_in_4bit: 14 projections .* \(4\.1\d\d bits per parameter\)", output);
        Assert.True(File.Exists(Path.Combine(_dir, "qlora", "adapter_model.safetensors")));
        var generated = await RunOkAsync("ml", "generate", "--model", P("base"), "--adapter", P("qlora"), "--load-in-4bit", "--chat",
            "--max-new-tokens", "4", "What is 41 + 3?");
        Assert.Contains("\"tokens\"", generated);
    }

    [Fact]
    public async Task SftLoadIn4Bit_WithoutLora_ExitCode2AskingForAnAdapter()
    {
        await PrepareAsync();
        var (code, output) = await PipelineProcess.RunAsync(P("full.txt"), Timeout,
            "ml", "train", "sft", "--model", P("base"), "--data", P("sft.jsonl"), "--out", P("full"), "--load-in-4bit", "--max-steps", "2");

        Assert.Equal(2, code);
        Assert.Contains("add --lora-r", output);
        Assert.DoesNotContain("   at ", output);
    }
}
