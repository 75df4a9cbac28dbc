using System.Text.Json;
using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Ml;

/// <summary>`pipeline ml train sft --load-in-4bit` (QLoRA) and `ml generate --load-in-4bit`, as real processes.</summary>
public sealed class QLoraCliTests() : MlCliTest("qlora-cli-")
{

    // A tokenizer, a two-step pretrained base (its weights only need to exist) and a small chat SFT file.
    private async Task PrepareAsync()
    {
        await PretrainBaseAsync(steps: 2, batchSize: 2, hidden: 64, intermediate: 128);
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
        Assert.True(File.Exists(Path.Combine(Dir, "qlora", "adapter_model.safetensors")));
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
