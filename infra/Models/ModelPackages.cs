using System.Text.Json;
using Pipeline.Infra.Artifacts;

namespace Pipeline.Infra.Models;

/// <summary>Writes, reads and materializes <see cref="ModelPackage"/>s on any <see cref="IArtifactStore"/>.</summary>
public static class ModelPackages
{
    public const string Kind = "model-package";

    /// <summary>Stores the package JSON (lineage: the base and adapter digests); the ref's digest is what the registry records.</summary>
    public static Task<ArtifactRef> PutAsync(IArtifactStore store, ModelPackage package, ArtifactMetadata metadata, CancellationToken ct = default)
    {
        if (package.Format != ModelPackage.CurrentFormat)
        {
            throw new ArgumentException($"model package format '{package.Format}' is not supported; expected '{ModelPackage.CurrentFormat}'");
        }
        foreach (var digest in new[] { package.BaseDigest, package.AdapterDigest }.OfType<string>())
        {
            if (!ArtifactDigest.IsValid(digest))
            {
                throw new ArgumentException($"model package digest '{digest}' is not \"sha256:\" + 64 lowercase hex digits");
            }
        }
        var inputs = new[] { package.BaseDigest, package.AdapterDigest }.OfType<string>().Union(metadata.Inputs).ToList();
        var json = ArtifactJson.Serialize(package);
        return store.PutAsync(new MemoryStream(json), metadata with { Kind = Kind, Inputs = inputs }, ct);
    }

    /// <summary>Reads a package back; malformed JSON or an unknown format fails naming the digest.</summary>
    public static async Task<ModelPackage> ReadAsync(IArtifactStore store, string digest, CancellationToken ct = default)
    {
        await using var stream = await store.OpenAsync(digest, ct);
        ModelPackage? package;
        try
        {
            package = await JsonSerializer.DeserializeAsync<ModelPackage>(stream, ArtifactJson.Options, ct);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"artifact {digest} is not a model package: expected JSON {{\"baseDigest\", \"adapterDigest\", \"format\"}} ({e.Message})", e);
        }
        if (package is null || string.IsNullOrEmpty(package.BaseDigest))
        {
            throw new InvalidDataException($"artifact {digest} is not a model package: expected a \"baseDigest\"");
        }
        if (package.Format != ModelPackage.CurrentFormat)
        {
            throw new InvalidDataException(
                $"artifact {digest} is a model package of format '{package.Format}'; expected '{ModelPackage.CurrentFormat}'");
        }
        return package;
    }

    /// <summary>
    /// Downloads the base (and adapter) folders into <paramref name="cacheRoot"/>/&lt;digest-hex&gt;/, each once: a
    /// folder already there is reused. Each download goes to a temp folder renamed into place, so a crash never leaves
    /// a half-written folder that a later call would trust.
    /// </summary>
    public static async Task<MaterializedModel> MaterializeAsync(IArtifactStore store, string packageDigest, string cacheRoot, CancellationToken ct = default)
    {
        var package = await ReadAsync(store, packageDigest, ct);
        var baseDir = await DirectoryOnceAsync(store, package.BaseDigest, cacheRoot, ct);
        var adapterDir = package.AdapterDigest is { } a ? await DirectoryOnceAsync(store, a, cacheRoot, ct) : null;
        return new MaterializedModel(packageDigest, baseDir, adapterDir);
    }

    /// <summary>Any directory artifact, downloaded once into <paramref name="cacheRoot"/>/&lt;digest-hex&gt;/ (see
    /// <see cref="MaterializeAsync"/>): datasets, eval runs and checkpoints use it too.</summary>
    public static async Task<string> DirectoryOnceAsync(IArtifactStore store, string digest, string cacheRoot, CancellationToken ct)
    {
        var hex = digest.StartsWith(ArtifactDigest.Prefix, StringComparison.Ordinal) ? digest[ArtifactDigest.Prefix.Length..] : digest;
        var target = Path.GetFullPath(Path.Combine(cacheRoot, hex));
        if (Directory.Exists(target))
        {
            return target;
        }
        Directory.CreateDirectory(cacheRoot);
        var temp = Path.Combine(cacheRoot, $".tmp-{hex}-{Guid.NewGuid():N}");
        try
        {
            await store.GetDirectoryAsync(digest, temp, ct);
            Directory.CreateDirectory(temp); // an empty directory artifact still materializes as a folder
            Directory.Move(temp, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            // Another caller finished the same download first: its folder is complete, ours is redundant.
        }
        finally
        {
            if (Directory.Exists(temp))
            {
                Directory.Delete(temp, recursive: true);
            }
        }
        return target;
    }
}
