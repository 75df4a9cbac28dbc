namespace Pipeline.Infra.Configuration;

/// <summary>Which <see cref="Tracking.ITrackingStore"/> runs, params, metrics and the model registry go to.</summary>
public enum TrackingStoreKind
{
    /// <summary><see cref="Tracking.SqlTrackingStore"/> in the workflow store's own database.</summary>
    Embedded,

    /// <summary><see cref="Tracking.MlflowTrackingStore"/> with the <c>Pipeline:Mlflow</c> settings.</summary>
    Mlflow,
}
