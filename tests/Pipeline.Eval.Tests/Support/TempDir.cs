namespace Pipeline.Eval.Tests.Support;

/// <summary>A temporary folder for one test, removed when it ends.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("pipeline-eval-").FullName;

    public string P(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string File(string name) => P(name);

    public string Write(string name, string text)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public string WriteLines(string name, IEnumerable<string> lines)
    {
        var path = File(name);
        System.IO.File.WriteAllLines(path, lines);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
