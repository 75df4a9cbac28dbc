using System.Text;

namespace Pipeline.Activities.Support;

/// <summary>
/// Where activities put files on a worker: <c>work/</c> holds each run's scratch folders (one per workflow and stage;
/// deleted when a stage has stored what it made), <c>cache/</c> the artifacts brought back from the store by digest
/// (immutable, so shared by every run on the machine). Nothing here is the source of truth: the artifact store is.
/// </summary>
public sealed class RecipeWorkspace(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Cache => Path.Combine(Root, "cache");

    /// <summary>A scratch folder for one stage of one run, emptied first (an earlier attempt's leftovers are not trusted:
    /// what an attempt resumes from comes from its heartbeat, through the store).</summary>
    public string FreshStageDir(string workflowId, string stage)
    {
        var dir = Path.Combine(Root, "work", Safe(workflowId), Safe(stage));
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A suite or policy by name, from the folders shipped beside the activities' assembly, or by path (a name
    /// ending in .yaml: your own file, which must exist on every eval worker).</summary>
    public static string SuitesFile(string name) => RecipeFile("suites", name);

    public static string PolicyFile(string name) => RecipeFile("policies", name);

    private static string RecipeFile(string kind, string name)
    {
        if (name.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            return File.Exists(name) ? Path.GetFullPath(name) : throw Failures.InvalidInput($"{kind[..^1]} file {Path.GetFullPath(name)} does not exist on this worker");
        }
        var path = Path.Combine(AppContext.BaseDirectory, "recipe", kind, name + ".yaml");
        if (File.Exists(path)) return path;
        var known = Directory.Exists(Path.GetDirectoryName(path)) ? Directory.GetFiles(Path.GetDirectoryName(path)!, "*.yaml").Select(Path.GetFileNameWithoutExtension) : [];
        throw Failures.InvalidInput($"no {kind[..^1]} named '{name}' (known: {string.Join(", ", known)})");
    }

    private static string Safe(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name) sb.Append(char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_');
        return sb.ToString();
    }
}
