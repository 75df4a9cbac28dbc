namespace Pipeline.Workflows.Contracts;

/// <summary>Which suites every model is evaluated on and which gate policies decide (names of the YAML files shipped
/// with the activities: eval/suites/NAME.yaml, eval/policies/NAME.yaml).</summary>
public sealed record EvalConfig
{
    /// <summary>Chat suites for baseline, SFT and final models. Default demo.</summary>
    public string Suites { get; init; } = "demo";

    /// <summary>Gate 1 when the baseline is the base model: SFT must lift it. Default post-sft.</summary>
    public string SftGate { get; init; } = "post-sft";

    /// <summary>Gate 1 when the baseline is a champion: the SFT checkpoint holds the floors and the safety behaviour;
    /// parity with the champion is the deploy gate's check, after the preference stage. Default sft-vs-champion
    /// ("deploy" here blocks every new version once a preference-tuned champion serves: SFT alone cannot match it).</summary>
    public string SftGateVsChampion { get; init; } = "sft-vs-champion";

    /// <summary>Gate 2, the preference model against the SFT model. Default post-preference.</summary>
    public string PreferenceGate { get; init; } = "post-preference";

    /// <summary>Gate 2, the preference model against the baseline (the deploy gate). Default deploy.</summary>
    public string DeployGate { get; init; } = "deploy";

    /// <summary>At most N rows per suite (a reduced profile); null: every row.</summary>
    public int? Limit { get; init; }

    /// <summary>Bootstrap resamples per metric. Default 1000.</summary>
    public int BootstrapSamples { get; init; } = 1000;

    public IEnumerable<string> Problems()
    {
        foreach (var (name, value) in new[] { ("Suites", Suites), ("SftGate", SftGate), ("SftGateVsChampion", SftGateVsChampion),
                     ("PreferenceGate", PreferenceGate), ("DeployGate", DeployGate) })
        {
            if (string.IsNullOrWhiteSpace(value)) yield return $"Eval.{name} must name a file";
        }
        if (Limit is < 1) yield return "Eval.Limit must be ≥ 1 when set";
        if (BootstrapSamples < 0) yield return "Eval.BootstrapSamples must be ≥ 0";
    }
}
