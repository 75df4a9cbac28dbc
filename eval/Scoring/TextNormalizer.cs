namespace Pipeline.Eval.Scoring;

/// <summary>
/// A text normalizer composed of named steps applied in order, for comparing a response with a reference
/// (<c>exact_match</c>). SQuAD's answer normalizer is <c>[lowercase, strip_punctuation, remove_articles,
/// collapse_whitespace]</c>; a numeric answer compares well under <c>[number, last_integer]</c>.
/// </summary>
public sealed class TextNormalizer
{
    private static readonly (string Name, NormalizerStep Step)[] Names =
    [
        ("lowercase", NormalizerStep.Lowercase),
        ("strip", NormalizerStep.Strip),
        ("collapse_whitespace", NormalizerStep.CollapseWhitespace),
        ("strip_punctuation", NormalizerStep.StripPunctuation),
        ("remove_articles", NormalizerStep.RemoveArticles),
        ("last_integer", NormalizerStep.LastInteger),
        ("number", NormalizerStep.Number),
    ];

    public TextNormalizer(IReadOnlyList<NormalizerStep> steps) => Steps = steps;

    /// <summary>No steps: texts are compared exactly as written.</summary>
    public static TextNormalizer None { get; } = new([]);

    public static IReadOnlyList<string> KnownSteps { get; } = [.. Names.Select(n => n.Name)];

    public IReadOnlyList<NormalizerStep> Steps { get; }

    /// <summary>Builds a normalizer from step names as a suite file lists them.</summary>
    /// <exception cref="ArgumentException">A step name is unknown; the message lists the known ones.</exception>
    public static TextNormalizer Parse(IReadOnlyList<string> steps) => new([.. steps.Select(name =>
        Names.FirstOrDefault(n => n.Name == name) is { Name: not null } known
            ? known.Step
            : throw new ArgumentException($"unknown normalizer step '{name}'; known steps: {string.Join(", ", KnownSteps)}", nameof(steps)))]);

    public static string NameOf(NormalizerStep step) => Names.First(n => n.Step == step).Name;

    public string Normalize(string text)
    {
        foreach (var step in Steps)
        {
            text = NormalizerSteps.Apply(step, text);
        }
        return text;
    }

    public override string ToString() => $"[{string.Join(", ", Steps.Select(NameOf))}]";
}
