using System.Text;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Models;

namespace Pipeline.Infra.Tests.Models;

public sealed class ModelPackagesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "model-packages-" + Guid.NewGuid().ToString("N"));
    private readonly LocalArtifactStore _store;

    public ModelPackagesTests() => _store = new LocalArtifactStore(Path.Combine(_root, "store"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task PutAsync_ThenReadAsync_RoundTripsThePackage()
    {
        var (baseRef, adapterRef) = await PutFoldersAsync();
        var stored = await ModelPackages.PutAsync(_store, new ModelPackage(baseRef.Digest, adapterRef.Digest), Meta("arith-demo"));

        var read = await ModelPackages.ReadAsync(_store, stored.Digest);

        Assert.Equal(ModelPackages.Kind, stored.Kind);
        Assert.Equal(new ModelPackage(baseRef.Digest, adapterRef.Digest), read);
        var meta = await _store.GetMetadataAsync(stored.Digest);
        Assert.Contains(baseRef.Digest, meta!.Inputs);
    }

    [Fact]
    public async Task MaterializeAsync_TwoCalls_DownloadsOnceAndReusesTheFolders()
    {
        var (baseRef, adapterRef) = await PutFoldersAsync();
        var stored = await ModelPackages.PutAsync(_store, new ModelPackage(baseRef.Digest, adapterRef.Digest), Meta("m"));
        var cache = Path.Combine(_root, "cache");

        var first = await ModelPackages.MaterializeAsync(_store, stored.Digest, cache);
        File.WriteAllText(Path.Combine(first.BaseDir, "marker"), "kept");
        var second = await ModelPackages.MaterializeAsync(_store, stored.Digest, cache);

        Assert.Equal(first, second);
        Assert.Equal("{}", File.ReadAllText(Path.Combine(first.BaseDir, "config.json")));
        Assert.Equal("lora", File.ReadAllText(Path.Combine(first.AdapterDir!, "adapter_config.json")));
        Assert.True(File.Exists(Path.Combine(second.BaseDir, "marker")), "the second call downloaded again");
        Assert.Equal(2, Directory.GetDirectories(cache).Length);
    }

    [Fact]
    public async Task MaterializeAsync_NoAdapter_GivesNullAdapterDir()
    {
        var (baseRef, _) = await PutFoldersAsync();
        var stored = await ModelPackages.PutAsync(_store, new ModelPackage(baseRef.Digest, null), Meta("m"));

        var model = await ModelPackages.MaterializeAsync(_store, stored.Digest, Path.Combine(_root, "cache"));

        Assert.Null(model.AdapterDir);
        Assert.EndsWith(baseRef.Digest["sha256:".Length..], model.BaseDir, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MalformedJson_NamesTheDigest()
    {
        var stored = await _store.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes("not json")), Meta("x"));

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ModelPackages.ReadAsync(_store, stored.Digest));

        Assert.Contains(stored.Digest, e.Message, StringComparison.Ordinal);
        Assert.Contains("model package", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UnknownFormat_NamesTheFormatExpected()
    {
        var json = """{"baseDigest":"sha256:00","adapterDigest":null,"format":"other/v9"}""";
        var stored = await _store.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), Meta("x"));

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ModelPackages.ReadAsync(_store, stored.Digest));

        Assert.Contains("other/v9", e.Message, StringComparison.Ordinal);
        Assert.Contains(ModelPackage.CurrentFormat, e.Message, StringComparison.Ordinal);
    }

    private async Task<(ArtifactRef Base, ArtifactRef Adapter)> PutFoldersAsync()
    {
        var baseDir = Directory.CreateDirectory(Path.Combine(_root, "base")).FullName;
        File.WriteAllText(Path.Combine(baseDir, "config.json"), "{}");
        File.WriteAllText(Path.Combine(baseDir, "model.safetensors"), "weights");
        var adapterDir = Directory.CreateDirectory(Path.Combine(_root, "adapter")).FullName;
        File.WriteAllText(Path.Combine(adapterDir, "adapter_config.json"), "lora");
        var b = await _store.PutDirectoryAsync(baseDir, Meta("base") with { Kind = ArtifactKinds.Model });
        var a = await _store.PutDirectoryAsync(adapterDir, Meta("adapter") with { Kind = ArtifactKinds.Adapter });
        return (b, a);
    }

    private static ArtifactMetadata Meta(string name) => new("test", name, DateTimeOffset.UnixEpoch);
}
