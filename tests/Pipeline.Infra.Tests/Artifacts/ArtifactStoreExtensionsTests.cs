using Pipeline.Infra.Artifacts;

namespace Pipeline.Infra.Tests.Artifacts;

public sealed class ArtifactStoreExtensionsTests : IDisposable
{
    private readonly DirectoryInfo _tmp = Directory.CreateTempSubdirectory("pipeline-artifacts-dir-");

    public void Dispose() => _tmp.Delete(recursive: true);

    private string MakeModelFolder(string name)
    {
        var dir = Path.Combine(_tmp.FullName, name);
        Directory.CreateDirectory(Path.Combine(dir, "tokenizer"));
        File.WriteAllText(Path.Combine(dir, "config.json"), """{"d_model":64}""");
        File.WriteAllBytes(Path.Combine(dir, "model.safetensors"), Enumerable.Range(0, 70_000).Select(i => (byte)i).ToArray());
        File.WriteAllText(Path.Combine(dir, "tokenizer", "vocab.txt"), "a\nb\n");
        return dir;
    }

    [Fact]
    public async Task PutDirectoryAsync_ThenGetDirectoryAsync_RecreatesEveryFile()
    {
        var store = new LocalArtifactStore(Path.Combine(_tmp.FullName, "store"));
        var source = MakeModelFolder("model");
        var meta = new ArtifactMetadata(ArtifactKinds.Model, "tiny", DateTimeOffset.UnixEpoch, "wf-7");

        var manifest = await store.PutDirectoryAsync(source, meta);
        var target = Path.Combine(_tmp.FullName, "restored");
        await store.GetDirectoryAsync(manifest.Digest, target);

        Assert.Equal(ArtifactKinds.Model, manifest.Kind);
        foreach (var relative in new[] { "config.json", "model.safetensors", "tokenizer/vocab.txt" })
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(source, relative)), File.ReadAllBytes(Path.Combine(target, relative)));
        }
        var listed = await store.ReadManifestAsync(manifest.Digest);
        Assert.Equal(["config.json", "model.safetensors", "tokenizer/vocab.txt"], listed.Files.Select(f => f.Path));
        Assert.Equal(3, await store.ListAsync(ArtifactKinds.File).CountAsync());
    }

    [Fact]
    public async Task PutDirectoryAsync_SameFolderTwice_YieldsSameManifestDigest()
    {
        var store = new LocalArtifactStore(Path.Combine(_tmp.FullName, "store"));
        var meta = new ArtifactMetadata(ArtifactKinds.Checkpoint, "c", DateTimeOffset.UnixEpoch);

        var first = await store.PutDirectoryAsync(MakeModelFolder("a"), meta);
        var second = await store.PutDirectoryAsync(MakeModelFolder("b"), meta);

        Assert.Equal(first.Digest, second.Digest);
    }
}
