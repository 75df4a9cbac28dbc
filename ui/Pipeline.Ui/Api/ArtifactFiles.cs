using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Infra.Artifacts;

namespace Pipeline.Ui.Api;

/// <summary>Reads one file of a directory artifact (a gate's decision.json, an eval run's eval.json).</summary>
internal static class ArtifactFiles
{
    public const int MaxJsonBytes = 16 << 20;

    public static async Task<Stream?> OpenAsync(IArtifactStore store, string digest, string path, CancellationToken ct)
    {
        if (await store.StatAsync(digest, ct) is null) return null;
        var manifest = await store.ReadManifestAsync(digest, ct);
        var entry = manifest.Files.FirstOrDefault(f => f.Path == path);
        return entry is null ? null : await store.OpenAsync(entry.Digest, ct);
    }

    /// <summary>The file as JSON, or a small object saying why it could not be read (the page shows that instead).</summary>
    public static async Task<JsonNode?> ReadJsonAsync(IArtifactStore store, string digest, string path, CancellationToken ct)
    {
        try
        {
            await using var stream = await OpenAsync(store, digest, path, ct);
            if (stream is null) return new JsonObject { ["error"] = $"{path} is not in artifact {digest}" };
            return await JsonNode.ParseAsync(stream, cancellationToken: ct);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or IOException or ArtifactCorruptException)
        {
            return new JsonObject { ["error"] = $"{path} of {digest} could not be read: {e.Message}" };
        }
    }
}
