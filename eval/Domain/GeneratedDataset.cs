namespace Pipeline.Eval.Domain;

/// <summary>A generated dataset held in memory: its manifest and the files it describes, ready to write to a folder.</summary>
public sealed class GeneratedDataset
{
    private readonly IReadOnlyList<GeneratedFile> _files;

    internal GeneratedDataset(DatasetManifest manifest, IReadOnlyList<GeneratedFile> files)
    {
        Manifest = manifest;
        _files = files;
    }

    public DatasetManifest Manifest { get; }

    /// <summary>The bytes of one file, by its path relative to the dataset folder.</summary>
    public byte[] Content(string path) =>
        _files.FirstOrDefault(f => f.Path == path)?.Content ?? throw new KeyNotFoundException($"the dataset has no file {path}");

    /// <summary>Why this dataset cannot be written to <paramref name="dir"/>, or null when it can: the folder is
    /// missing or empty, or already holds exactly this dataset (same manifest bytes), which is rewritten.</summary>
    public string? ConflictIn(string dir)
    {
        if (!Directory.Exists(dir) || !Directory.EnumerateFileSystemEntries(dir).Any())
        {
            return null;
        }
        var path = Path.Combine(dir, DatasetManifest.FileName);
        if (!File.Exists(path))
        {
            return $"{dir} is not empty and holds no {DatasetManifest.FileName}; choose an empty or new folder";
        }
        if (File.ReadAllBytes(path).AsSpan().SequenceEqual(Manifest.ToJsonBytes()))
        {
            return null;
        }
        var held = TryDescribe(path);
        return $"{dir} already holds a different dataset: {held}, whose manifest differs from this one's; choose an empty or new folder";
    }

    /// <summary>Writes every file, then manifest.json last, so a folder with a manifest is complete.</summary>
    public void WriteTo(string dir)
    {
        if (ConflictIn(dir) is { } conflict)
        {
            throw new InvalidOperationException(conflict);
        }
        foreach (var file in _files)
        {
            var full = Path.Combine(dir, file.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, file.Content);
        }
        Manifest.Save(Path.Combine(dir, DatasetManifest.FileName));
    }

    private static string TryDescribe(string manifestPath)
    {
        try
        {
            var m = DatasetManifest.Load(manifestPath);
            return $"{m.Dataset} {m.Version}, seed {m.Seed}, generator {m.Generator}";
        }
        catch (Pipeline.ML.IO.DataFormatException)
        {
            return $"an unreadable {DatasetManifest.FileName}";
        }
    }
}
