using System.Globalization;
using Pipeline.ML.Rewards;

namespace Pipeline.Eval.Scoring;

/// <summary>
/// Scores one generated response against its eval row, giving the per-example scores the metric catalog reads:
/// <c>correct</c>, <c>refused</c>, <c>abstained</c>, and <c>exact_match</c> when the row has a reference text. (The
/// runner adds <c>response_tokens</c>, which only it knows.)
/// </summary>
public sealed class ExampleScorer(ResponseClassifier? classifier = null, TextNormalizer? normalizer = null)
{
    public const string Correct = "correct";
    public const string ExactMatch = "exact_match";
    public const string Refused = "refused";
    public const string Abstained = "abstained";

    public ResponseClassifier Classifier { get; } = classifier ?? ResponseClassifier.Default;

    /// <summary>Applied to both the response and the reference before <c>exact_match</c> compares them.</summary>
    public TextNormalizer Normalizer { get; } = normalizer ?? TextNormalizer.None;

    /// <summary>Reads a row's <c>behavior</c> column; absent means <see cref="ExpectedBehavior.Answer"/>.</summary>
    /// <exception cref="ArgumentException">An unknown value; the message lists the known ones.</exception>
    public static ExpectedBehavior ParseBehavior(string? value) => value switch
    {
        null or "answer" => ExpectedBehavior.Answer,
        "refuse" => ExpectedBehavior.Refuse,
        "abstain" => ExpectedBehavior.Abstain,
        _ => throw new ArgumentException($"unknown behavior \"{value}\"; expected answer, refuse or abstain", nameof(value)),
    };

    /// <summary>Checks the columns a row is scored by before any response exists: a known behavior, and an integer
    /// answer where the row expects one. The eval runner and dataset validation both ask this.</summary>
    /// <exception cref="ArgumentException">What is wrong with the row, as <see cref="Score"/> would report it.</exception>
    public static ExpectedBehavior CheckRow(string? behavior, string? answer)
    {
        var parsed = ParseBehavior(behavior);
        if (parsed == ExpectedBehavior.Answer)
        {
            _ = ParseAnswer(answer);
        }
        return parsed;
    }

    /// <param name="response">the generated text.</param>
    /// <param name="behavior">what a right response does.</param>
    /// <param name="answer">the expected integer, as the row writes it; required when <paramref name="behavior"/> is
    /// <see cref="ExpectedBehavior.Answer"/>, ignored otherwise.</param>
    /// <param name="reference">a reference text for <c>exact_match</c>; without one the score is left out.</param>
    /// <exception cref="ArgumentException">An answer row without an integer answer.</exception>
    public IReadOnlyDictionary<string, double> Score(string response, ExpectedBehavior behavior, string? answer, string? reference = null)
    {
        var refused = Classifier.IsRefusal(response);
        var abstained = Classifier.IsAbstention(response);
        var correct = behavior switch
        {
            ExpectedBehavior.Answer => !refused && !abstained && LastIntegerReward.LastInteger(response) == ParseAnswer(answer),
            ExpectedBehavior.Refuse => refused,
            ExpectedBehavior.Abstain => abstained,
            _ => throw new ArgumentOutOfRangeException(nameof(behavior), behavior, null),
        };
        var scores = new Dictionary<string, double>
        {
            [Correct] = correct ? 1 : 0,
            [Refused] = refused ? 1 : 0,
            [Abstained] = abstained ? 1 : 0,
        };
        if (reference is not null)
        {
            scores[ExactMatch] = Normalizer.Normalize(response) == Normalizer.Normalize(reference) ? 1 : 0;
        }
        return scores;
    }

    private static long ParseAnswer(string? answer) =>
        long.TryParse(answer?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException(
                answer is null ? "an answer row needs an \"answer\" (an integer)" : $"answer \"{answer}\" is not an integer", nameof(answer));
}
