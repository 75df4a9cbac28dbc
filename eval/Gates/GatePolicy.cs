using System.Security.Cryptography;
using System.Text;
using Pipeline.Eval.Results;
using Pipeline.Eval.Yaml;

namespace Pipeline.Eval.Gates;

/// <summary>
/// A gate policy file: the rules a candidate must meet, alone or against a baseline, before it may ship. Its path and
/// sha256 go into every decision, so a decision names exactly which rules judged it. Format: eval/README.md, "Gates".
/// </summary>
public sealed record GatePolicy
{
    /// <summary>Used for significance tests when the policy has no <c>bootstrap</c> block.</summary>
    public static readonly BootstrapSettings DefaultBootstrap = new(Samples: 1000, Seed: 0, Confidence: 0.95);

    public required string Name { get; init; }

    public string? Description { get; init; }

    public BootstrapSettings Bootstrap { get; init; } = DefaultBootstrap;

    public required IReadOnlyList<GateRule> Rules { get; init; }

    /// <summary>Where the policy was read from (as given), for errors and the decision record.</summary>
    public required string Path { get; init; }

    /// <summary>sha256 (lowercase hex) of the policy file's bytes.</summary>
    public required string Sha256 { get; init; }

    public bool HasRelativeRules => Rules.Any(r => r.IsRelative);

    public static GatePolicy Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EvalFormatException($"{path}: cannot read the gate policy ({e.Message})", e);
        }
        return Read(YamlFile.Parse(Encoding.UTF8.GetString(bytes), path), path, Hash(bytes));
    }

    /// <param name="source">the name errors and the decision give the policy, e.g. its file name.</param>
    public static GatePolicy Parse(string text, string source) =>
        Read(YamlFile.Parse(text, source), source, Hash(Encoding.UTF8.GetBytes(text)));

    private static GatePolicy Read(YamlMap root, string path, string sha256)
    {
        root.RejectUnknown("policy", "description", "bootstrap", "rules");
        var rules = root.Maps("rules") ?? throw root.Error("rules", "required field is missing; expected a list of rules");
        if (rules.Count == 0)
        {
            throw root.Error("rules", "expected at least one rule, found an empty list");
        }
        var read = rules.Select(GateRuleReader.Read).ToList();
        var duplicate = read.GroupBy(r => r.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            var second = duplicate.ElementAt(1);
            throw new EvalFormatException($"{path}:{second.Line}: rules[{second.Index}].name: \"{duplicate.Key}\" is already the name of "
                + $"rules[{duplicate.First().Index}]; give each rule its own name");
        }
        return new GatePolicy
        {
            Name = root.RequiredString("policy"),
            Description = root.String("description"),
            Bootstrap = root.Map("bootstrap") is { } b ? ReadBootstrap(b) : DefaultBootstrap,
            Rules = read,
            Path = path,
            Sha256 = sha256,
        };
    }

    private static BootstrapSettings ReadBootstrap(YamlMap b)
    {
        b.RejectUnknown("samples", "seed", "confidence");
        var samples = b.Int("samples") ?? DefaultBootstrap.Samples;
        if (samples < 1)
        {
            throw b.Error("samples", $"expected an integer ≥ 1, found {samples}");
        }
        var seed = b.Int("seed") ?? 0;
        if (seed < 0)
        {
            throw b.Error("seed", $"expected an integer ≥ 0, found {seed}");
        }
        var confidence = b.Double("confidence") ?? DefaultBootstrap.Confidence;
        if (confidence is <= 0 or >= 1)
        {
            throw b.Error("confidence", $"expected a number between 0 and 1 (exclusive), found {confidence}");
        }
        return new BootstrapSettings(samples, (ulong)seed, confidence);
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
