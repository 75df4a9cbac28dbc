using Pipeline.ML.Data;

namespace Pipeline.Activities.Training;

/// <summary>The GRPO training mix: each prompt repeated by the weight of its kind (a column such as the demo's
/// "behavior"), copies renamed <c>{id}-m{k}</c> because a prompt id names one prompt.</summary>
internal static class PromptMix
{
    public static IReadOnlyList<PromptExample> Apply(IReadOnlyList<PromptExample> prompts, string column, IReadOnlyDictionary<string, int>? weights)
    {
        if (weights is null || weights.Count == 0) return prompts;
        var mixed = new List<PromptExample>(prompts.Count);
        foreach (var p in prompts)
        {
            var copies = p.Columns.TryGetValue(column, out var kind) && weights.TryGetValue(kind, out var w) ? w : 1;
            for (var k = 0; k < copies; k++) mixed.Add(k == 0 ? p : p with { Id = $"{p.Id}-m{k}" });
        }
        return mixed;
    }

    /// <summary>"answer ×1 (1500), refuse ×2 (150 → 300)…": what the log and the run's parameters say about the mix.</summary>
    public static string Describe(IReadOnlyList<PromptExample> prompts, string column, IReadOnlyDictionary<string, int>? weights)
    {
        if (weights is null || weights.Count == 0) return $"{prompts.Count} prompts (no mix)";
        var counts = prompts.GroupBy(p => p.Columns.GetValueOrDefault(column, "(none)")).OrderBy(g => g.Key, StringComparer.Ordinal);
        return string.Join(", ", counts.Select(g =>
        {
            var w = weights.GetValueOrDefault(g.Key, 1);
            return $"{g.Key} ×{w} ({g.Count()} → {g.Count() * w})";
        }));
    }
}
