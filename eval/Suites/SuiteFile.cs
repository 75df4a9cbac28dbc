using System.Text.RegularExpressions;
using Pipeline.Eval.Metrics;
using Pipeline.Eval.Yaml;

namespace Pipeline.Eval.Suites;

/// <summary>
/// Reads eval suites from YAML: a file holds one suite (its fields at the top level) or several (<c>suites:</c>, a
/// list); a folder is every <c>*.yaml</c>/<c>*.yml</c> in it, in name order. Every mistake is reported as
/// <c>FILE:LINE: field: what was expected</c>, and a metric the suite's task cannot produce is a mistake too.
/// <code>
/// suites:
///   - name: in_domain
///     axis: in_domain
///     dataset: eval/in_domain.jsonl
///     generation: {max_new_tokens: 24}
///     metrics: [accuracy, exact_match, ece, mean_response_length]
/// </code>
/// </summary>
public static partial class SuiteFile
{
    private static readonly string[] Fields =
        ["name", "axis", "task", "dataset", "metrics", "generation", "normalizer", "refusal_phrases", "abstain_phrases", "confidence", "preference", "limit"];

    private static readonly Dictionary<SuiteTask, string[]> MetricsByTask = new()
    {
        [SuiteTask.Generate] = ["accuracy", "exact_match", "refusal_rate", "over_refusal_rate", "abstention_rate", "false_abstention_rate", "ece", "mean_response_length", "contamination_rate"],
        [SuiteTask.Perplexity] = ["perplexity", "contamination_rate"],
        [SuiteTask.Preference] = ["preference_accuracy", "reward_margin", "contamination_rate"],
    };

    public static IReadOnlyList<SuiteDefinition> Load(string path)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList()
            : [path];
        if (files.Count == 0)
        {
            throw new EvalFormatException($"{path}: no *.yaml suite files in this folder");
        }
        var suites = files.SelectMany(f => Read(YamlFile.Load(f))).ToList();
        var twice = suites.GroupBy(s => s.Name).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? suites
            : throw new EvalFormatException($"{twice.Last().DeclaredAt}: suite name '{twice.Key}' is declared twice (first at {twice.First().DeclaredAt})");
    }

    public static IReadOnlyList<SuiteDefinition> Read(YamlMap root)
    {
        if (!root.Has("suites"))
        {
            return [Suite(root)];
        }
        root.RejectUnknown("suites");
        var list = root.Maps("suites")!;
        return list.Count > 0 ? [.. list.Select(Suite)] : throw root.Error("suites", "expected at least one suite");
    }

    private static SuiteDefinition Suite(YamlMap m)
    {
        m.RejectUnknown(Fields);
        var name = m.RequiredString("name");
        if (!NamePattern().IsMatch(name))
        {
            throw m.Error("name", $"expected lowercase letters, digits, '_' or '-' (it names files and metrics), found \"{name}\"");
        }
        var task = m.String("task") switch
        {
            null or "generate" => SuiteTask.Generate,
            "perplexity" => SuiteTask.Perplexity,
            "preference" => SuiteTask.Preference,
            var t => throw m.Error("task", $"expected generate, perplexity or preference, found \"{t}\""),
        };
        var (scorer, beta) = Preference(m, task);
        var limit = m.Int("limit");
        if (limit is < 1)
        {
            throw m.Error("limit", $"expected a number of rows ≥ 1, found {limit}");
        }
        return new SuiteDefinition
        {
            Name = name,
            Axis = m.String("axis") ?? name,
            Task = task,
            Dataset = m.RequiredString("dataset"),
            Metrics = Metrics(m, task),
            Generation = Generation(m),
            Normalizer = Normalizer(m),
            RefusalPhrases = m.Strings("refusal_phrases"),
            AbstainPhrases = m.Strings("abstain_phrases"),
            Confidence = m.String("confidence") switch
            {
                null or "sequence" => ConfidenceKind.Sequence,
                "answer" => ConfidenceKind.Answer,
                var c => throw m.Error("confidence", $"expected sequence or answer, found \"{c}\""),
            },
            PreferenceScorer = scorer,
            Beta = beta,
            Limit = limit,
            SourceFile = m.Source,
            DeclaredAt = $"{m.Source}:{m.Line}",
        };
    }

    private static IReadOnlyList<string> Metrics(YamlMap m, SuiteTask task)
    {
        var names = m.Strings("metrics") ?? throw m.Error("metrics", "required field is missing (the metrics this suite reports)");
        var allowed = MetricsByTask[task];
        foreach (var name in names)
        {
            if (MetricCatalog.Find(name) is null)
            {
                throw m.Error("metrics", $"unknown metric \"{name}\"; known: {string.Join(", ", MetricCatalog.Names)}");
            }
            if (!allowed.Contains(name))
            {
                throw m.Error("metrics", $"a {task.ToString().ToLowerInvariant()} suite cannot report \"{name}\"; it reports {string.Join(", ", allowed)}");
            }
        }
        return names.Distinct().ToList();
    }

    private static GenerationSettings Generation(YamlMap suite)
    {
        if (suite.Map("generation") is not { } g)
        {
            return new GenerationSettings();
        }
        g.RejectUnknown("max_new_tokens", "temperature", "top_k", "top_p", "seed", "batch_size", "stop");
        var d = new GenerationSettings();
        var s = d with
        {
            MaxNewTokens = g.Int("max_new_tokens") ?? d.MaxNewTokens,
            Temperature = g.Double("temperature") ?? d.Temperature,
            TopK = g.Int("top_k") ?? d.TopK,
            TopP = g.Double("top_p") ?? d.TopP,
            Seed = (ulong)(g.Int("seed") ?? 0),
            BatchSize = g.Int("batch_size") ?? d.BatchSize,
            Stop = g.Strings("stop") ?? d.Stop,
        };
        return s.MaxNewTokens < 1 ? throw g.Error("max_new_tokens", $"expected ≥ 1, found {s.MaxNewTokens}")
            : s.Temperature < 0 ? throw g.Error("temperature", $"expected ≥ 0, found {s.Temperature}")
            : s.TopK < 0 ? throw g.Error("top_k", $"expected ≥ 0, found {s.TopK}")
            : s.TopP is <= 0 or > 1 ? throw g.Error("top_p", $"expected a number in (0, 1], found {s.TopP}")
            : g.Int("seed") is < 0 ? throw g.Error("seed", "expected ≥ 0")
            : s.BatchSize < 1 ? throw g.Error("batch_size", $"expected ≥ 1, found {s.BatchSize}")
            : s;
    }

    private static IReadOnlyList<string> Normalizer(YamlMap m)
    {
        var steps = m.Strings("normalizer");
        if (steps is null)
        {
            return SuiteDefinition.DefaultNormalizer;
        }
        try
        {
            _ = Scoring.TextNormalizer.Parse(steps);
        }
        catch (ArgumentException e)
        {
            throw m.Error("normalizer", e.Message);
        }
        return steps;
    }

    private static (PreferenceScorer, double) Preference(YamlMap m, SuiteTask task)
    {
        if (m.Map("preference") is not { } p)
        {
            return (PreferenceScorer.Implicit, 0.1);
        }
        if (task != SuiteTask.Preference)
        {
            throw m.Error("preference", "only a preference suite (task: preference) takes preference settings");
        }
        p.RejectUnknown("scorer", "beta");
        var scorer = p.String("scorer") switch
        {
            null or "implicit" => PreferenceScorer.Implicit,
            "reward_model" => PreferenceScorer.RewardModel,
            var s => throw p.Error("scorer", $"expected implicit or reward_model, found \"{s}\""),
        };
        var beta = p.Double("beta") ?? 0.1;
        return beta > 0 ? (scorer, beta) : throw p.Error("beta", $"expected a number > 0, found {beta}");
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]*$")]
    private static partial Regex NamePattern();
}
