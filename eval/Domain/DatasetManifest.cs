namespace Pipeline.Eval.Domain;

/// <summary>
/// manifest.json: which dataset, version and seed a folder holds, which generator wrote it, and each file's role,
/// format, rows, bytes and sha256 — what a consumer checks before it trusts the files — plus counts describing the
/// data. Its bytes are a function of its content (fixed key order, ordinal-sorted stats, "\n" line ends).
/// </summary>
public sealed record DatasetManifest(
    string Dataset, string Version, long Seed, string Generator, string Description,
    IReadOnlyList<ManifestFile> Files, IReadOnlyDictionary<string, long> Stats)
{
    public const string FileName = "manifest.json";

    /// <summary>Reads a manifest; bad JSON or a missing or mistyped field is a
    /// <see cref="Pipeline.ML.IO.DataFormatException"/> naming the file and the field.</summary>
    public static DatasetManifest Load(string path) => ManifestJson.Read(File.ReadAllBytes(path), path);

    public byte[] ToJsonBytes() => ManifestJson.Write(this);

    public void Save(string path) => File.WriteAllBytes(path, ToJsonBytes());

    /// <summary>Recomputes every listed file's bytes, rows and sha256 under <paramref name="dir"/>; one line per
    /// mismatch ("eval/ood.jsonl: expected sha256 X, found Y"), none when the folder is as the manifest says.</summary>
    public IReadOnlyList<string> Verify(string dir) =>
        [.. Files.SelectMany(f => f.Mismatches(System.IO.Path.Combine(dir, f.Path)))];

    /// <summary>The entry for a file, by its relative path.</summary>
    public ManifestFile Entry(string path) =>
        Files.FirstOrDefault(f => f.Path == path) ?? throw new KeyNotFoundException($"the manifest lists no file {path}");
}
