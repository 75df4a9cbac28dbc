using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Eval.Yaml;

/// <summary>
/// One YAML mapping with typed, located accessors. Every accessor that fails throws an <see cref="EvalFormatException"/>
/// naming the file, the line and the field's path (<c>rules[2].min</c>); <see cref="RejectUnknown"/> turns a typo'd key
/// into an error instead of a silently ignored setting.
/// </summary>
public sealed class YamlMap
{
    private readonly YamlMappingNode node;

    internal YamlMap(YamlMappingNode node, string source, string path)
    {
        this.node = node;
        Source = source;
        Path = path;
    }

    public string Source { get; }

    /// <summary>Where this map sits in the document, e.g. <c>rules[2]</c>; empty at the top level.</summary>
    public string Path { get; }

    public int Line => (int)node.Start.Line;

    public IEnumerable<string> Keys => node.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "");

    public bool Has(string key) => Find(key) is not null;

    /// <summary>An error located at <paramref name="key"/>'s value (or at this map when the key is absent).</summary>
    public EvalFormatException Error(string key, string message)
    {
        var at = Find(key)?.Start.Line ?? node.Start.Line;
        return new EvalFormatException($"{Source}:{at}: {FieldPath(key)}: {message}");
    }

    public string FieldPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public void RejectUnknown(params string[] allowed)
    {
        foreach (var (k, _) in node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (!allowed.Contains(name, StringComparer.Ordinal))
            {
                throw new EvalFormatException(
                    $"{Source}:{k.Start.Line}: {FieldPath(name)}: unknown field; expected one of {string.Join(", ", allowed)}");
            }
        }
    }

    public string RequiredString(string key) => String(key) ?? throw Error(key, "required field is missing");

    public string? String(string key) => Find(key) switch
    {
        null => null,
        YamlScalarNode { Value: { Length: > 0 } v } => v,
        var n => throw Located(n, key, $"expected a non-empty string, found {Describe(n)}"),
    };

    public double? Double(string key)
    {
        var n = Find(key);
        if (n is null)
        {
            return null;
        }
        return n is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d
            : throw Located(n, key, $"expected a number, found {Describe(n)}");
    }

    public int? Int(string key)
    {
        var n = Find(key);
        if (n is null)
        {
            return null;
        }
        return n is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw Located(n, key, $"expected an integer, found {Describe(n)}");
    }

    public bool? Bool(string key) => Find(key) switch
    {
        null => null,
        YamlScalarNode { Value: "true" or "True" or "yes" } => true,
        YamlScalarNode { Value: "false" or "False" or "no" } => false,
        var n => throw Located(n, key, $"expected true or false, found {Describe(n)}"),
    };

    public YamlMap? Map(string key) => Find(key) switch
    {
        null => null,
        YamlMappingNode m => new YamlMap(m, Source, FieldPath(key)),
        var n => throw Located(n, key, $"expected a mapping, found {Describe(n)}"),
    };

    /// <summary>A sequence of mappings, e.g. a policy's rules.</summary>
    public IReadOnlyList<YamlMap>? Maps(string key)
    {
        if (Find(key) is not { } n)
        {
            return null;
        }
        if (n is not YamlSequenceNode seq)
        {
            throw Located(n, key, $"expected a list, found {Describe(n)}");
        }
        return [.. seq.Children.Select((c, i) => c is YamlMappingNode m
            ? new YamlMap(m, Source, $"{FieldPath(key)}[{i}]")
            : throw new EvalFormatException($"{Source}:{c.Start.Line}: {FieldPath(key)}[{i}]: expected a mapping, found {Describe(c)}"))];
    }

    /// <summary>A list of strings; a single string is read as a list of one.</summary>
    public IReadOnlyList<string>? Strings(string key) => Find(key) switch
    {
        null => null,
        YamlScalarNode { Value: { Length: > 0 } v } => [v],
        YamlSequenceNode seq => [.. seq.Children.Select((c, i) => c is YamlScalarNode { Value: { Length: > 0 } v }
            ? v
            : throw new EvalFormatException($"{Source}:{c.Start.Line}: {FieldPath(key)}[{i}]: expected a non-empty string, found {Describe(c)}"))],
        var n => throw Located(n, key, $"expected a string or a list of strings, found {Describe(n)}"),
    };

    /// <summary>A list whose items are either plain names or one-key maps of a name to its settings
    /// (<c>- accuracy</c> or <c>- exact_match: {normalizer: [lowercase]}</c>).</summary>
    public IReadOnlyList<(string Name, YamlMap? Settings, int Line)>? NamedItems(string key)
    {
        if (Find(key) is not { } n)
        {
            return null;
        }
        if (n is not YamlSequenceNode seq)
        {
            throw Located(n, key, $"expected a list, found {Describe(n)}");
        }
        var items = new List<(string, YamlMap?, int)>();
        for (var i = 0; i < seq.Children.Count; i++)
        {
            var c = seq.Children[i];
            var at = $"{FieldPath(key)}[{i}]";
            switch (c)
            {
                case YamlScalarNode { Value: { Length: > 0 } v }:
                    items.Add((v, null, (int)c.Start.Line));
                    break;
                case YamlMappingNode { Children.Count: 1 } m when m.Children.First().Key is YamlScalarNode { Value: { Length: > 0 } name }:
                    var value = m.Children.First().Value;
                    var settings = value is YamlMappingNode vm ? new YamlMap(vm, Source, $"{at}.{name}")
                        : value is YamlScalarNode { Value: null or "" or "~" or "null" } ? null
                        : throw new EvalFormatException($"{Source}:{value.Start.Line}: {at}.{name}: expected a mapping of settings, found {Describe(value)}");
                    items.Add((name, settings, (int)c.Start.Line));
                    break;
                default:
                    throw new EvalFormatException($"{Source}:{c.Start.Line}: {at}: expected a name or a one-key mapping of a name to its settings, found {Describe(c)}");
            }
        }
        return items;
    }

    private YamlNode? Find(string key) =>
        node.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: var v } && v == key).Value;

    private EvalFormatException Located(YamlNode n, string key, string message) =>
        new($"{Source}:{n.Start.Line}: {FieldPath(key)}: {message}");

    private static string Describe(YamlNode n) => n switch
    {
        YamlScalarNode { Value: null or "" } => "nothing",
        YamlScalarNode s => $"\"{s.Value}\"",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => n.NodeType.ToString(),
    };
}
