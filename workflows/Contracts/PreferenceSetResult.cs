namespace Pipeline.Workflows.Contracts;

/// <summary>A stored preference set: the digest of its folder (pairs JSONL + provenance) and its QC counts
/// (prompts, samples, pairs, dropped_* by reason, human).</summary>
public sealed record PreferenceSetResult(string Digest, IReadOnlyDictionary<string, double> Counts);
