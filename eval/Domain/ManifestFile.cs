using System.Security.Cryptography;

namespace Pipeline.Eval.Domain;

/// <summary>A manifest's entry for one file: its path relative to the dataset folder, what it is, and what its bytes
/// must be (rows are "\n"-terminated lines; sha256 is lowercase hex).</summary>
public sealed record ManifestFile(string Path, DatasetFileRole Role, DatasetFileFormat Format, long Rows, long Bytes, string Sha256)
{
    public static ManifestFile Describe(string path, DatasetFileRole role, DatasetFileFormat format, ReadOnlySpan<byte> content) =>
        new(path, role, format, CountRows(content), content.Length, Hash(content));

    public static long CountRows(ReadOnlySpan<byte> content) => content.Count((byte)'\n');

    public static string Hash(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Every way the file at <paramref name="fullPath"/> differs from this entry, one line each.</summary>
    public IEnumerable<string> Mismatches(string fullPath)
    {
        if (!File.Exists(fullPath))
        {
            yield return $"{Path}: missing";
            yield break;
        }
        var actual = Describe(Path, Role, Format, File.ReadAllBytes(fullPath));
        if (actual.Bytes != Bytes)
        {
            yield return $"{Path}: expected {Bytes} bytes, found {actual.Bytes}";
        }
        if (actual.Rows != Rows)
        {
            yield return $"{Path}: expected {Rows} rows, found {actual.Rows}";
        }
        if (actual.Sha256 != Sha256)
        {
            yield return $"{Path}: expected sha256 {Sha256}, found {actual.Sha256}";
        }
    }
}
