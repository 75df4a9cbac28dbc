using Pipeline.Eval.Domain;
using Pipeline.Workers.Tests.Ml;

namespace Pipeline.Workers.Tests.Cli;

/// <summary>`pipeline dataset generate` as a user runs it: a version written with its manifest and table, the same
/// command again allowed, and a different dataset or an unknown version refused with exit code 2.</summary>
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
}
