namespace Pipeline.Eval.Domain;

/// <summary>What to generate: a version of the demo dataset from a seed.</summary>
public sealed record DemoDatasetOptions
{
    /// <summary>The seed the CLI uses when none is given. It fixes the held-out split, hence the eval files.</summary>
    public const long DefaultSeed = 1234;

    /// <summary>A <see cref="DemoDatasetVersions"/> name. Default "v1".</summary>
    public string Version { get; init; } = "v1";

    /// <summary>Fixes the held-out split and every draw. Default <see cref="DefaultSeed"/>.</summary>
    public long Seed { get; init; } = DefaultSeed;

    /// <summary>Lines of the pretraining corpus. Default 300,000 (what the measured design pretrained on).</summary>
    public int CorpusLines { get; init; } = 300_000;

    public void Validate()
    {
        if (CorpusLines < 1)
        {
            throw new ArgumentException($"corpus lines must be at least 1, got {CorpusLines}");
        }
        DemoDatasetVersions.Get(Version).Validate();
    }
}
