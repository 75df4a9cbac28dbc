namespace Pipeline.Workflows.PostTraining;

/// <summary>An A/B look's verdict with its evidence: the positive-feedback rates, the z statistic and two-sided p-value
/// (null when the test was not run: a guardrail fired or samples are short).</summary>
public sealed record AbDecision(AbVerdict Verdict, string Reason, double ChampionRate, double ChallengerRate, double? Z, double? PValue)
{
    public IReadOnlyDictionary<string, double> Metrics()
    {
        var m = new Dictionary<string, double> { ["champion_positive_rate"] = ChampionRate, ["challenger_positive_rate"] = ChallengerRate };
        if (Z is { } z) m["z"] = z;
        if (PValue is { } p) m["p_value"] = p;
        return m;
    }
}
