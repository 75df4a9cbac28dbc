using Pipeline.Eval.Domain;

namespace Pipeline.Eval.Tests.Domain;

/// <summary>The generator as a whole: the same inputs give the same bytes, the seed alone fixes the evals, and each
/// file has the rows the design asks for.</summary>
public sealed class DemoDatasetGeneratorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("demo-dataset-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Generate_SameSeedAndVersionTwice_IdenticalBytesAndManifest()
    {
        DemoData.Generate("v1").WriteTo(Path.Combine(_dir, "a"));
        DemoData.Generate("v1").WriteTo(Path.Combine(_dir, "b"));

        var files = Directory.GetFiles(Path.Combine(_dir, "a"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(_dir, "a"), f)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(12, files.Count);
        foreach (var file in files)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(_dir, "a", file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_dir, "b", file))), $"{file} differs");
        }
    }

    [Fact]
    public void Generate_DifferentSeed_EveryFileDiffers()
    {
        var other = DemoData.Generate("v1", seed: 99);

        foreach (var (mine, theirs) in DemoData.V1.Manifest.Files.Zip(other.Manifest.Files))
        {
            Assert.NotEqual(mine.Sha256, theirs.Sha256);
        }
    }

    [Fact]
    public void Generate_V1AndV2_EvalFilesIdenticalTrainingFilesDiffer()
    {
        foreach (var path in DemoData.EvalFiles)
        {
            Assert.Equal(DemoData.V1.Manifest.Entry(path).Sha256, DemoData.V2.Manifest.Entry(path).Sha256);
        }
        foreach (var path in DemoData.TrainingFiles)
        {
            Assert.NotEqual(DemoData.V1.Manifest.Entry(path).Sha256, DemoData.V2.Manifest.Entry(path).Sha256);
        }
    }

    [Theory]
    [InlineData("v1", 3_000, 1_725)]
    [InlineData("v2", 4_000, 2_300)]
    public void Generate_Version_RowCountsAsDesigned(string version, int sft, int prompts)
    {
        var m = (version == "v1" ? DemoData.V1 : DemoData.V2).Manifest;

        Assert.Equal(DemoData.CorpusLines, m.Entry("corpus/pretrain.txt").Rows);
        Assert.Equal(sft, m.Entry("sft/train.jsonl").Rows);
        Assert.Equal(prompts, m.Entry("prompts/train.jsonl").Rows);
        Assert.Equal(1_000, m.Entry("eval/in_domain.jsonl").Rows);
        Assert.Equal(1_000, m.Entry("eval/ood.jsonl").Rows);
        Assert.Equal(2 * 18 * 8, m.Entry("eval/refusal.jsonl").Rows);
        Assert.Equal(300, m.Entry("eval/calibration.jsonl").Rows);
        Assert.InRange(m.Entry("eval/golden.jsonl").Rows, 55, 60);
        Assert.Equal(500, m.Entry("eval/raw_heldout.jsonl").Rows);
        Assert.Equal(500, m.Entry("eval/heldout_text.jsonl").Rows);
        Assert.Equal(300 + 18 * 2, m.Entry("eval/preference_pairs.jsonl").Rows);
        Assert.Equal(("arith-demo", version, DemoData.Seed), (m.Dataset, m.Version, m.Seed));
    }

    [Fact]
    public void Generate_UnknownVersion_ErrorListsKnownVersions()
    {
        var e = Assert.Throws<ArgumentException>(() => DemoData.Generate("v9"));

        Assert.Equal("unknown dataset version 'v9'; known versions: v1, v2", e.Message);
    }

    [Fact]
    public void WriteTo_FolderWithTheSameDataset_Rewrites()
    {
        DemoData.V1.WriteTo(_dir);
        File.WriteAllText(Path.Combine(_dir, "eval", "ood.jsonl"), "tampered\n");

        DemoData.V1.WriteTo(_dir);

        Assert.Empty(DatasetManifest.Load(Path.Combine(_dir, DatasetManifest.FileName)).Verify(_dir));
    }

    [Fact]
    public void WriteTo_FolderWithADifferentDataset_RefusedNamingIt()
    {
        DemoData.V1.WriteTo(_dir);

        var conflict = DemoData.V2.ConflictIn(_dir);

        Assert.NotNull(conflict);
        Assert.Contains("already holds a different dataset: arith-demo v1, seed 1234", conflict);
        Assert.Throws<InvalidOperationException>(() => DemoData.V2.WriteTo(_dir));
    }

    [Fact]
    public void WriteTo_NonEmptyFolderWithoutManifest_Refused()
    {
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "mine");

        Assert.Contains("holds no manifest.json", DemoData.V1.ConflictIn(_dir));
    }
}
