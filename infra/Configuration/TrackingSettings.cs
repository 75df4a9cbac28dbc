namespace Pipeline.Infra.Configuration;

/// <summary>The <c>Pipeline:Tracking</c> section.</summary>
public sealed record TrackingSettings
{
    /// <summary>Where runs and the model registry go. Default: <c>Embedded</c> in the embedded profile, <c>Mlflow</c> in the server profile.</summary>
    public TrackingStoreKind Store { get; init; } = TrackingStoreKind.Embedded;

    /// <summary>The experiment the pipeline's runs are filed under. Default <c>pipeline</c>.</summary>
    public string Experiment { get; init; } = "pipeline";
}
