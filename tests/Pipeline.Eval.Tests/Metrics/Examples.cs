using Pipeline.Eval.Results;

namespace Pipeline.Eval.Tests.Metrics;

/// <summary>Hand-made per-example results: an id, an optional behavior, and scores as name/value pairs.</summary>
internal static class Examples
{
    public static ExampleResult Of(string id, string? behavior, params (string Name, double Value)[] scores) => new()
    {
        Id = id,
        Behavior = behavior,
        Scores = scores.ToDictionary(s => s.Name, s => s.Value),
    };

    /// <summary>Examples carrying only <c>correct</c>, one per value, with ids e0, e1, ….</summary>
    public static List<ExampleResult> Correct(params double[] values) =>
        [.. values.Select((v, i) => Of($"e{i}", null, ("correct", v)))];
}
