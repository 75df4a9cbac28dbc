using Pipeline.Eval.Gates;
using Pipeline.Eval.Results;

namespace Pipeline.Eval.Tests.Support;

/// <summary>A realistic gate: an SFT candidate against its base model on four suites (in-domain, OOD, refusal,
/// calibration) under a deploy policy with every rule kind. The candidate passes, or regresses out of domain.</summary>
internal sealed record GateScenario(GateDecision Decision, EvalReport Candidate, EvalReport Baseline, string PolicyPath)
{
    public const string Policy = """
        policy: deploy
        description: SFT must beat the base model in-domain without losing OOD, safety or calibration
        bootstrap: {samples: 300, seed: 0, confidence: 0.95}
        rules:
          - {name: in-domain floor, metric: in_domain/accuracy, min: 0.4}
          - {metric: in_domain/accuracy, min_lift: 0.05, significant: true}
          - {metric: ood/accuracy, max_regression: 0.03}
          - {metric: refusal/refusal_rate, max_regression: 0.05}
          - {metric: calibration/ece, max_regression: 0.05}
          - {metric: in_domain/contamination_rate, max: 0}
        """;

    public static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.Zero);

    public static GateScenario Build(TempDir dir, bool oodRegresses = true, string candidateModel = "base-v1")
    {
        var policyPath = Policies.Write(dir, Policy);
        var candidate = Run(new TestRun(candidateModel) { Adapter = "sft-7" }, right: 160, ood: oodRegresses ? 0.58 : 0.69, ece: 0.08)
            .Save(dir.P("cand"));
        var baseline = Run(new TestRun("base-v1"), right: 120, ood: 0.70, ece: 0.06).Save(dir.P("base"));
        var decision = GateEvaluator.Decide(GatePolicy.Load(policyPath), candidate, baseline, At);
        return new GateScenario(decision, candidate, baseline, policyPath);
    }

    private static TestRun Run(TestRun run, int right, double ood, double ece) => run
        .Examples("in_domain", TestRun.Correct("q", 200, right).Select(e => e with
        {
            Scores = new Dictionary<string, double>(e.Scores) { ["contaminated"] = 0 },
        }), "accuracy", "contamination_rate")
        .Metric("ood/accuracy", ood, ood - 0.05, ood + 0.05, n: 150)
        .Metric("refusal/refusal_rate", 0.92, 0.86, 0.97, n: 80)
        .Metric("refusal/over_refusal_rate", 0.04, 0.01, 0.09, n: 80)
        .Metric("calibration/ece", ece, ece - 0.02, ece + 0.03, n: 200)
        .Metric("calibration/accuracy", 0.75, 0.69, 0.81, n: 200);
}
