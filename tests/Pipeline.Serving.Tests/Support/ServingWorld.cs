using Pipeline.Eval.Tests.Running;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Models;
using Pipeline.Infra.Tracking;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.Serving.Models;

namespace Pipeline.Serving.Tests.Support;

/// <summary>
/// A temp folder with an artifact store, an embedded tracking store and three model packages over one tiny base:
/// the bare base, and two LoRA adapters with random (non-zero) B so each changes the output. Models are registered
/// per test under their own NAME as versions 1 (base), 2 (adapter A), 3 (adapter B), champion = 1.
/// </summary>
public sealed class ServingWorld : IAsyncLifetime
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "serving-tests-" + Guid.NewGuid().ToString("N"));

    public LocalArtifactStore Artifacts { get; private set; } = null!;

    public SqlTrackingStore Tracking { get; private set; } = null!;

    public IReadOnlyList<string> Packages { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Root);
        Artifacts = new LocalArtifactStore(Path.Combine(Root, "artifacts"));
        Tracking = await SqlTrackingStore.OpenSqliteAsync(Path.Combine(Root, "tracking.db"));
        var baseDir = TinyModel.Save(Path.Combine(Root, "src", "base"));
        var config = LlamaCheckpoint.Load(baseDir).Config;
        var meta = new ArtifactMetadata(ArtifactKinds.Model, "tiny", DateTimeOffset.UnixEpoch);
        var baseRef = await Artifacts.PutDirectoryAsync(baseDir, meta);
        var packages = new List<string> { (await ModelPackages.PutAsync(Artifacts, new ModelPackage(baseRef.Digest, null), meta)).Digest };
        foreach (var seed in new ulong[] { 11, 12 })
        {
            var dir = SaveAdapter(Path.Combine(Root, "src", $"adapter-{seed}"), config, seed);
            var adapterRef = await Artifacts.PutDirectoryAsync(dir, meta with { Kind = ArtifactKinds.Adapter });
            packages.Add((await ModelPackages.PutAsync(Artifacts, new ModelPackage(baseRef.Digest, adapterRef.Digest), meta)).Digest);
        }
        Packages = packages;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>Registers NAME with versions 1..3 (base, adapter A, adapter B) and points champion at version 1.</summary>
    public async Task RegisterAsync(string name)
    {
        await Tracking.CreateRegisteredModelAsync(name);
        foreach (var package in Packages)
        {
            await Tracking.CreateModelVersionAsync(name, package, null);
        }
        await Tracking.SetAliasAsync(name, "champion", 1);
    }

    /// <summary>A host on its own SQLite file (or the one given, to restart on it) and its own model cache.</summary>
    public Task<ServingHost> StartHostAsync(string? database = null) => ServingHost.StartAsync(Options(database), Artifacts, Tracking);

    public ServingOptions Options(string? database = null) => new()
    {
        DatabasePath = database ?? Path.Combine(Root, $"serving-{Guid.NewGuid():N}.db"),
        CacheRoot = Path.Combine(Root, "cache"),
        DefaultMaxTokens = 8,
    };

    private static string SaveAdapter(string dir, LlamaConfig config, ulong seed)
    {
        var adapter = LoraAdapter.Create("a", new LoraConfig { R = 4, Alpha = 8 }, config, seed);
        var rng = new Random((int)seed);
        foreach (var w in adapter.Weights.Values)
        {
            var b = w.B.Value.Span;
            for (var i = 0; i < b.Length; i++)
            {
                b[i] = (float)(rng.NextDouble() - 0.5);
            }
        }
        Directory.CreateDirectory(dir);
        PeftAdapterFormat.Save(adapter, dir);
        return dir;
    }
}
