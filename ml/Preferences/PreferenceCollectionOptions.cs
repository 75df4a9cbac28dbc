namespace Pipeline.ML.Preferences;

/// <summary>Preference collection's settings: how completions are sampled, and which labelled pairs are kept.
/// The two halves are apart because human labelling splits the run there (sample, label outside, build pairs).</summary>
public sealed record PreferenceCollectionOptions
{
    /// <summary>Sampling: k completions per prompt at temperature 1 by default.</summary>
    public PreferenceSamplingOptions Sampling { get; init; } = new();

    /// <summary>Pair quality control: ties, both-bad and near-identical pairs dropped, at most 2 pairs per prompt by default.</summary>
    public PairQualityOptions Quality { get; init; } = new();

    public void Validate()
    {
        Sampling.Validate();
        Quality.Validate();
    }
}
