using Pipeline.Eval.Domain;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Models;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Activities.Support;

/// <summary>A dataset version brought back from the store into the worker's cache, with its manifest, so a stage can
/// ask for "the SFT file" or "the corpus" by role instead of by path.</summary>
public sealed class DatasetVersionFiles
{
    private DatasetVersionFiles(string dir, DatasetManifest manifest)
    {
        Directory = dir;
        Manifest = manifest;
    }

    public string Directory { get; }

    public DatasetManifest Manifest { get; }

    public static async Task<DatasetVersionFiles> OpenAsync(IArtifactStore store, DatasetVersionRef dataset, RecipeWorkspace workspace, CancellationToken ct)
    {
        var dir = await ModelPackages.DirectoryOnceAsync(store, dataset.FilesDigest, workspace.Cache, ct);
        var manifestPath = Path.Combine(dir, "manifest.json");
        if (!System.IO.File.Exists(manifestPath))
        {
            throw Failures.InvalidInput($"dataset {dataset} ({dataset.FilesDigest}) has no manifest.json");
        }
        return new DatasetVersionFiles(dir, DatasetManifest.Load(manifestPath));
    }

    /// <summary>The one file of <paramref name="role"/>; a version with none, or several, is bad input.</summary>
    public string File(DatasetFileRole role)
    {
        var files = Manifest.Files.Where(f => f.Role == role).ToList();
        return files.Count == 1 ? Path.Combine(Directory, files[0].Path)
            : throw Failures.InvalidInput($"dataset {Manifest.Dataset}@{Manifest.Version}: expected one {role.ToString().ToLowerInvariant()} file in manifest.json, found {files.Count}");
    }
}
