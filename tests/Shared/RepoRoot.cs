namespace Pipeline.Tests.Shared;

/// <summary>The repository checkout the tests run from: the folder above the test binaries that holds Pipeline.sln.
/// Linked into every test project that reads shipped files (suites, policies, compose) or starts a service script.</summary>
internal static class RepoRoot
{
    private static readonly Lazy<string> Found = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Pipeline.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"Pipeline.sln not found above {AppContext.BaseDirectory}");
    });

    public static string Path => Found.Value;

    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
