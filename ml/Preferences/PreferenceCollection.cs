namespace Pipeline.ML.Preferences;

/// <summary>The outcome of labelling a <see cref="CandidateSet"/>: the pairs kept, the counts, and who labelled —
/// everything <see cref="PreferenceArtifact"/> writes.</summary>
public sealed record PreferenceCollection(
    CandidateSet Candidates,
    IReadOnlyList<PreferencePair> Pairs,
    PreferenceCounts Counts,
    string LabelerName,
    IReadOnlyDictionary<string, string> LabelerProvenance,
    PairQualityOptions Quality,
    DateTimeOffset LabelledAt);
