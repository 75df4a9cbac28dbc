using Pipeline.Eval.Domain;
using Pipeline.Workers.Tests.Ml;

namespace Pipeline.Workers.Tests.Cli;

/// <summary>`pipeline dataset generate|validate` as a user runs them: a version written with its manifest and table, the
/// same command again allowed, a different dataset or an unknown version refused with exit code 2; validation listing
/// every broken line.</summary>
public sealed class DatasetCliTests() : MlCliTest("dataset-cli-")
{
    [Fact]
    public async Task Generate_WritesVersionThenRefusesADifferentOneInTheSameFolder()
    {
        string[] args = ["dataset", "generate", "--version", "v1", "--seed", "7", "--corpus-lines", "2000", "--out", P("v1")];

        var output = await RunOkAsync(args);
        await RunOkAsync(args);
        var (otherSeed, otherOutput) = await RunAsync("dataset", "generate", "--seed", "8", "--corpus-lines", "2000", "--out", P("v1"));
        var (unknown, unknownOutput) = await RunAsync("dataset", "generate", "--version", "v0", "--out", P("v0"));

        var manifest = DatasetManifest.Load(P("v1/manifest.json"));
        Assert.Empty(manifest.Verify(P("v1")));
        Assert.Equal(("v1", 7L, 2000L), (manifest.Version, manifest.Seed, manifest.Entry("corpus/pretrain.txt").Rows));
        Assert.Contains($"eval/ood.jsonl", output);
        Assert.Contains(manifest.Entry("sft/train.jsonl").Sha256[..12], output);
        Assert.Equal(2, otherSeed);
        Assert.Contains("already holds a different dataset: arith-demo v1, seed 7", otherOutput);
        Assert.Equal(2, unknown);
        Assert.Contains("unknown dataset version 'v0'; known versions: v1, v2", unknownOutput);
        Assert.False(Directory.Exists(P("v0")));
    }

    [Fact]
    public async Task Validate_CleanVersionThenBrokenLinesThenMissingPath_Exits0Then1Then2()
    {
        await RunOkAsync("dataset", "generate", "--version", "v1", "--corpus-lines", "2000", "--out", P("v1"));
        var clean = await RunOkAsync("dataset", "validate", P("v1"));
        File.AppendAllLines(P("v1/sft/train.jsonl"), ["""{"messages": [{"role": "tool", "content": "x"}]}""", "{oops"]);

        var (broken, brokenOutput) = await RunAsync("dataset", "validate", P("v1/sft/train.jsonl"));
        var (missing, missingOutput) = await RunAsync("dataset", "validate", P("nowhere"));

        Assert.Contains("valid", clean);
        Assert.True(broken == 1, brokenOutput);
        Assert.Contains($"{P("v1/sft/train.jsonl")}:3001: field 'messages[0].role'", brokenOutput);
        Assert.Contains($"{P("v1/sft/train.jsonl")}:3002: not valid JSON", brokenOutput);
        Assert.Contains("2 problems", brokenOutput);
        Assert.Equal(2, missing);
        Assert.Contains("no such file or folder", missingOutput);
    }
}
