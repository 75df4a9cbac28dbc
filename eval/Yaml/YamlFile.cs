using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Eval.Yaml;

/// <summary>Reads a YAML document into <see cref="YamlMap"/>s that remember where each value was written, so every
/// problem in a suite or policy file can be reported as <c>FILE:LINE: field: expected …, found …</c>.</summary>
public static class YamlFile
{
    public static YamlMap Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new EvalFormatException($"{path}: cannot be read ({e.Message})", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new EvalFormatException($"{path}: cannot be read ({e.Message})", e);
        }
        return Parse(text, path);
    }

    /// <param name="source">the name errors give the text, e.g. its file name.</param>
    public static YamlMap Parse(string text, string source)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            // YamlDotNet's messages start with "(Line: 3, Col: 5, Idx: …) - (…): " — keep only the reason.
            var reason = e.Message.Contains("): ", StringComparison.Ordinal) ? e.Message[(e.Message.LastIndexOf("): ", StringComparison.Ordinal) + 3)..] : e.Message;
            throw new EvalFormatException($"{source}:{e.Start.Line}: not valid YAML ({reason})", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet 16.3 throws this, not a YamlException, for some unterminated flow collections
            // ("a: [b" at the end of a file): report where the scanner stopped.
            throw new EvalFormatException($"{source}:{scanner.CurrentPosition.Line}: not valid YAML (unexpected end of a [ ] or {{ }} collection)", e);
        }
        if (stream.Documents.Count != 1)
        {
            throw new EvalFormatException($"{source}: expected one YAML document, found {stream.Documents.Count}");
        }
        var root = stream.Documents[0].RootNode;
        return root is YamlMappingNode map
            ? new YamlMap(map, source, "")
            : throw new EvalFormatException($"{source}:{root.Start.Line}: expected a mapping (key: value lines) at the top level");
    }
}
