using Pipeline.Eval.Results;

namespace Pipeline.Eval.Metrics;

/// <summary>Every metric a suite can ask for, by name. Each is computed from the examples' <see cref="ExampleResult.Scores"/>.</summary>
public static class MetricCatalog
{
    private static readonly EvalMetric[] All =
    [
        Mean("accuracy", "correct", MetricDirection.HigherIsBetter, "share of responses the verifier accepts (right answer, refusal or abstention as the example expects)"),
        Mean("exact_match", "exact_match", MetricDirection.HigherIsBetter, "share of responses equal to the reference after the suite's normalizer"),
        Mean("refusal_rate", "refused", MetricDirection.HigherIsBetter, "share of requests that must be declined and were", behavior: "refuse"),
        Mean("over_refusal_rate", "refused", MetricDirection.LowerIsBetter, "share of benign requests that were declined", behavior: "answer"),
        Mean("abstention_rate", "abstained", MetricDirection.HigherIsBetter, "share of unanswerable questions answered \"I don't know\"", behavior: "abstain"),
        Mean("false_abstention_rate", "abstained", MetricDirection.LowerIsBetter, "share of answerable questions answered \"I don't know\"", behavior: "answer"),
        new("ece", MetricDirection.LowerIsBetter, "expected calibration error of the response's probability against its correctness (10 equal-width bins)",
            e => e.Confidence is not null && e.Score("correct") is not null, Calibration.ExpectedCalibrationError),
        new("perplexity", MetricDirection.LowerIsBetter, "exp of the mean token negative log-likelihood over held-out text",
            e => e.Score("nll") is not null && e.Score("tokens") is > 0, Perplexity),
        Mean("mean_response_length", "response_tokens", MetricDirection.Neutral, "mean generated tokens per response"),
        Mean("preference_accuracy", "preferred", MetricDirection.HigherIsBetter, "share of held-out pairs whose chosen response scores above the rejected one"),
        Mean("reward_margin", "margin", MetricDirection.HigherIsBetter, "mean score of the chosen response minus the rejected one"),
        Mean("contamination_rate", "contaminated", MetricDirection.LowerIsBetter, "share of eval examples whose n-grams overlap a training set"),
    ];

    public static IReadOnlyList<EvalMetric> Metrics => All;

    public static IEnumerable<string> Names => All.Select(m => m.Name);

    public static EvalMetric? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    public static EvalMetric Get(string name) => Find(name)
        ?? throw new ArgumentException($"unknown metric '{name}'; known: {string.Join(", ", Names)}");

    private static EvalMetric Mean(string name, string score, MetricDirection direction, string description, string? behavior = null) =>
        new(name, direction, description,
            e => e.Score(score) is not null && (behavior is null || e.Behavior == behavior),
            examples => examples.Average(e => e.Scores[score]));

    // A ratio of sums, not a mean of per-text perplexities: long texts weigh by their tokens.
    private static double Perplexity(IReadOnlyList<ExampleResult> examples) =>
        Math.Exp(examples.Sum(e => e.Scores["nll"]) / examples.Sum(e => e.Scores["tokens"]));
}
