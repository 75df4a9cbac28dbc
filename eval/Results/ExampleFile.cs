using System.Text.Json;

namespace Pipeline.Eval.Results;

/// <summary>A suite's per-example results: one <see cref="ExampleResult"/> per line.</summary>
public static class ExampleFile
{
    public static void Write(string path, IEnumerable<ExampleResult> examples)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using (var writer = new StreamWriter(path + ".tmp") { NewLine = "\n" })
        {
            foreach (var e in examples)
            {
                writer.WriteLine(JsonSerializer.Serialize(e, EvalJson.Line));
            }
        }
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public static IReadOnlyList<ExampleResult> Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new EvalFormatException($"{path}: per-example results file not found");
        }
        var examples = new List<ExampleResult>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Length == 0)
            {
                continue;
            }
            try
            {
                examples.Add(JsonSerializer.Deserialize<ExampleResult>(line, EvalJson.Line)
                    ?? throw new EvalFormatException($"{path}:{lineNo}: expected an example object, found null"));
            }
            catch (JsonException e)
            {
                throw new EvalFormatException($"{path}:{lineNo}: not a valid example result ({e.Message})", e);
            }
        }
        return examples;
    }
}
