using System.Text.Json;

namespace Pipeline.Infra.Artifacts;

/// <summary>One set of JSON settings for everything the stores write, so files read the same from either store.</summary>
internal static class ArtifactJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

    public static T Deserialize<T>(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new InvalidDataException($"null {typeof(T).Name} JSON");

    public static async Task<T> DeserializeAsync<T>(Stream json, CancellationToken ct) =>
        await JsonSerializer.DeserializeAsync<T>(json, Options, ct) ?? throw new InvalidDataException($"null {typeof(T).Name} JSON");
}
