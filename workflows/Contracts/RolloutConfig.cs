namespace Pipeline.Workflows.Contracts;

/// <summary>The A/B rollout after registration: how much traffic the challenger gets, how long the window lasts, how
/// the decision is made (two-proportion z-test on the positive-feedback rate) and what rolls back early.</summary>
public sealed record RolloutConfig
{
    /// <summary>Share of traffic routed to the challenger. Default 0.2.</summary>
    public double ChallengerShare { get; init; } = 0.2;

    /// <summary>Feedback events each variant needs before the test is run. Default 200.</summary>
    public int MinFeedbackPerVariant { get; init; } = 200;

    /// <summary>How often the workflow reads the online metrics (a durable timer). Default 1 min.</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Longest the window stays open; then the test runs on what arrived. Default 1 day.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Confidence of the two-sided test. Default 0.95.</summary>
    public double Confidence { get; init; } = 0.95;

    /// <summary>Guardrail: the challenger's error rate above this rolls back at once. Default 0.05.</summary>
    public double MaxErrorRate { get; init; } = 0.05;

    /// <summary>Guardrail: the challenger's p95 latency above this many ms rolls back at once. Default 5000.</summary>
    public double MaxLatencyP95Ms { get; init; } = 5000;

    /// <summary>Requests a guardrail needs before it can fire. Default 20.</summary>
    public int GuardrailMinRequests { get; init; } = 20;

    /// <summary>Demo/testing: requests the traffic simulator sends during the window (0: real traffic only). Default 0.</summary>
    public int SimulatedRequests { get; init; }

    /// <summary>Distinct simulated users. Default 200.</summary>
    public int SimulatedUsers { get; init; } = 200;

    public IEnumerable<string> Problems()
    {
        if (ChallengerShare is <= 0 or >= 1) yield return "Rollout.ChallengerShare must be in (0, 1)";
        if (MinFeedbackPerVariant < 1) yield return "Rollout.MinFeedbackPerVariant must be ≥ 1";
        if (CheckInterval <= TimeSpan.Zero) yield return "Rollout.CheckInterval must be positive";
        if (MaxDuration < CheckInterval) yield return "Rollout.MaxDuration must be ≥ Rollout.CheckInterval";
        if (Confidence is <= 0.5 or >= 1) yield return "Rollout.Confidence must be in (0.5, 1)";
        if (MaxErrorRate is < 0 or > 1) yield return "Rollout.MaxErrorRate must be in [0, 1]";
        if (MaxLatencyP95Ms <= 0) yield return "Rollout.MaxLatencyP95Ms must be > 0";
        if (SimulatedRequests < 0 || SimulatedUsers < 1) yield return "Rollout.SimulatedRequests must be ≥ 0 and SimulatedUsers ≥ 1";
    }
}
