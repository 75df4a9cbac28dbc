using Pipeline.Eval.Domain;
using Pipeline.Eval.Results;
using Pipeline.Eval.Suites;
using Pipeline.ML.Models;

namespace Pipeline.Eval.Running;

/// <summary>
/// The dataset version an eval run reads: suites' dataset paths resolve under it, its <c>manifest.json</c> (when there
/// is one) is cited in the report by name, version and sha256, and the files the manifest marks as training data are
/// what the contamination check compares every eval set against.
/// </summary>
internal sealed class DatasetFolder
{
    private readonly string? root;

    private DatasetFolder(string? root, DatasetRef? reference, IReadOnlyList<string> trainingFiles)
    {
        this.root = root;
        Reference = reference;
        TrainingFiles = trainingFiles;
    }

    public DatasetRef? Reference { get; }

    public IReadOnlyList<string> TrainingFiles { get; }

    public static DatasetFolder Open(string? dataDir)
    {
        if (dataDir is null)
        {
            return new DatasetFolder(null, null, []);
        }
        if (!Directory.Exists(dataDir))
        {
            throw new EvalFormatException($"{dataDir}: no such dataset folder");
        }
        var manifestPath = Path.Combine(dataDir, DatasetManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            return new DatasetFolder(dataDir, null, []);
        }
        var manifest = DatasetManifest.Load(manifestPath);
        var training = manifest.Files.Where(f => f.Role != DatasetFileRole.Eval).Select(f => Path.Combine(dataDir, f.Path)).ToList();
        return new DatasetFolder(dataDir, new DatasetRef(manifest.Dataset, manifest.Version, ModelHash.OfFile(manifestPath)), training);
    }

    /// <summary>The suite's dataset under the data folder, else beside the suites file that declared it.</summary>
    public string Resolve(SuiteDefinition suite)
    {
        var candidates = new[] { root, Path.GetDirectoryName(Path.GetFullPath(suite.SourceFile)) }
            .OfType<string>().Select(d => Path.Combine(d, suite.Dataset)).ToList();
        return candidates.FirstOrDefault(File.Exists)
            ?? throw new EvalFormatException($"{suite.DeclaredAt}: dataset: \"{suite.Dataset}\" not found (looked at {string.Join(", ", candidates)})");
    }

    /// <summary>How the report names a dataset file: relative to the data folder when it is inside it.</summary>
    public string Describe(string path)
    {
        if (root is null)
        {
            return path;
        }
        var relative = Path.GetRelativePath(root, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative.Replace('\\', '/');
    }
}
