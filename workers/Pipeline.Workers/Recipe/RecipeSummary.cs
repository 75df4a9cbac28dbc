using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Workers.Recipe;

/// <summary>
/// A recipe run as <c>pipeline demo --summary FILE</c> writes it (snake_case JSON): status, whether it was promoted, the
/// three models' held-out numbers (<c>base</c> is the run's baseline: the base model, or the champion once there is
/// one), every stage, and the demo's targets checked against the measured numbers.
/// </summary>
public sealed record RecipeSummary(
    string WorkflowId,
    string Status,
    bool Promoted,
    string Reason,
    string Baseline,
    IReadOnlyDictionary<string, ModelSummary> Models,
    IReadOnlyList<StageSummary> Stages,
    IReadOnlyList<TargetCheck> Targets)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static RecipeSummary From(string workflowId, PostTrainingResult result)
    {
        var stages = result.Stages.Select(s => new StageSummary(s.Name, s.Status, Math.Round(s.Seconds, 1), s.Detail, s.Metrics, s.Artifacts)).ToList();
        var models = new Dictionary<string, ModelSummary>(StringComparer.Ordinal);
        var baseline = result.Models.TryGetValue("baseline", out var b) ? b : null;
        void Add(string key, string stage, ModelRef? model)
        {
            if (result.Stages.LastOrDefault(s => s.Name == stage && s.Status == "completed") is { } s) models[key] = ModelSummary.From(model?.ToString() ?? key, s.Metrics);
        }
        Add("base", "baseline_eval", baseline);
        Add("sft", "sft_eval", result.Models.GetValueOrDefault("sft"));
        Add("final", "final_eval", result.Models.GetValueOrDefault("final"));
        return new RecipeSummary(workflowId, Lower(result.Status), result.Promoted, result.Reason, baseline?.ToString() ?? "", models, stages,
            Check(models, fromBase: baseline?.Label != "champion"));
    }

    /// <summary>The bar for the demo domain: SFT ≥ 20 points over the base in-domain; the preference model
    /// ≥ 3 points over SFT in-domain or on refusal or abstention, with OOD at most 2 points worse. The first applies
    /// only to a run <paramref name="fromBase"/>: against a champion (a later dataset version) the baseline is not the
    /// base model, and whether the new model may replace it is the deploy gate's call.</summary>
    public static IReadOnlyList<TargetCheck> Check(IReadOnlyDictionary<string, ModelSummary> m, bool fromBase = true)
    {
        var targets = new List<TargetCheck>();
        if (fromBase && m.TryGetValue("base", out var b) && m.TryGetValue("sft", out var s))
        {
            var lift = Diff(s.InDomainAccuracy, b.InDomainAccuracy);
            targets.Add(new TargetCheck("sft_in_domain_lift", "SFT − baseline, in-domain accuracy (points)", Points(lift), 20, lift >= 0.20));
        }
        if (m.TryGetValue("sft", out var sft) && m.TryGetValue("final", out var f))
        {
            var inDomain = Diff(f.InDomainAccuracy, sft.InDomainAccuracy);
            var refusal = Diff(f.RefusalRate, sft.RefusalRate);
            var abstention = Diff(f.AbstentionRate, sft.AbstentionRate);
            var best = new[] { inDomain, refusal, abstention }.Max();
            targets.Add(new TargetCheck("final_lift", "final − SFT, best of in-domain accuracy, refusal rate, abstention rate (points)", Points(best), 3, best >= 0.03));
            var ood = Diff(f.OodAccuracy, sft.OodAccuracy);
            targets.Add(new TargetCheck("final_ood_change", "final − SFT, OOD accuracy (points; at most 2 worse)", Points(ood), -2, ood >= -0.02));
        }
        return targets;
    }

    /// <summary>The challenger passed every gate (it reached the A/B window) and every target holds.</summary>
    [JsonIgnore]
    public bool TargetsMet => Status is "promoted" or "rolled_back" && Targets.Count >= 2 && Targets.All(t => t.Met)
        && (Targets.Any(t => t.Name == "sft_in_domain_lift") || Baseline.Contains("(champion)", StringComparison.Ordinal));

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    private static double? Diff(double? a, double? b) => a is { } x && b is { } y ? x - y : null;

    private static double? Points(double? d) => d is { } v ? Math.Round(100 * v, 1) : null;

    private static string Lower(PostTrainingStatus status) => status switch
    {
        PostTrainingStatus.RolledBack => "rolled_back",
        _ => status.ToString().ToLowerInvariant(),
    };
}
