using System.Security.Cryptography;

namespace Pipeline.Infra.Artifacts;

/// <summary>Artifacts are addressed by the SHA-256 of their bytes, written "sha256:" + 64 lowercase hex digits.</summary>
public static class ArtifactDigest
{
    public const string Prefix = "sha256:";

    public static string Of(ReadOnlySpan<byte> bytes) => Prefix + Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static async Task<string> OfAsync(Stream stream, CancellationToken ct = default) =>
        Prefix + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));

    public static bool IsValid(string digest) =>
        digest.Length == Prefix.Length + 64 && digest.StartsWith(Prefix, StringComparison.Ordinal)
        && digest.AsSpan(Prefix.Length).IndexOfAnyExcept("0123456789abcdef") < 0;
}
