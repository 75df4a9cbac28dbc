namespace Pipeline.Eval.Results;

/// <summary>How a run's intervals were computed: percentile bootstrap over examples.</summary>
public sealed record BootstrapSettings(int Samples, ulong Seed, double Confidence);
