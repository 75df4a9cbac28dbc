namespace Pipeline.Eval.Suites;

/// <summary>One eval suite as a suites file declares it (see <see cref="SuiteFile"/> for the YAML).</summary>
public sealed record SuiteDefinition
{
    public static readonly IReadOnlyList<string> DefaultNormalizer = ["strip", "collapse_whitespace", "lowercase"];

    public required string Name { get; init; }

    /// <summary>The axis gates group it under (in_domain, ood, refusal, calibration, regression, quality, preference…). Default: the name.</summary>
    public required string Axis { get; init; }

    public SuiteTask Task { get; init; } = SuiteTask.Generate;

    /// <summary>The JSONL file, as written in the suites file (relative to the data folder, else to the suites file).</summary>
    public required string Dataset { get; init; }

    public required IReadOnlyList<string> Metrics { get; init; }

    public GenerationSettings Generation { get; init; } = new();

    /// <summary>Normalizer steps exact_match applies to the response and the reference.</summary>
    public IReadOnlyList<string> Normalizer { get; init; } = DefaultNormalizer;

    /// <summary>Openings that mark a response as a refusal; null keeps the classifier's defaults.</summary>
    public IReadOnlyList<string>? RefusalPhrases { get; init; }

    /// <summary>Openings that mark a response as an abstention ("I don't know"); null keeps the defaults.</summary>
    public IReadOnlyList<string>? AbstainPhrases { get; init; }

    /// <summary>What ece calls the model's confidence in a response. Default: the whole response's probability.</summary>
    public ConfidenceKind Confidence { get; init; } = ConfidenceKind.Sequence;

    public PreferenceScorer PreferenceScorer { get; init; } = PreferenceScorer.Implicit;

    /// <summary>β of the implicit reward (reward_margin is in its units). Default 0.1.</summary>
    public double Beta { get; init; } = 0.1;

    /// <summary>Evaluate only the first N rows; null evaluates all.</summary>
    public int? Limit { get; init; }

    /// <summary>The suites file that declared it: a dataset path not found under the data folder is read relative to it.</summary>
    public required string SourceFile { get; init; }

    /// <summary>The suites file and line that declared it, for errors.</summary>
    public required string DeclaredAt { get; init; }
}
