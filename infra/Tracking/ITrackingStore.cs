namespace Pipeline.Infra.Tracking;

/// <summary>
/// Experiment tracking and a model registry with MLflow's semantics: params are immutable (the same value again is a
/// no-op, a different one is an error), metrics are appended, tags are overwritten. Two implementations:
/// <see cref="SqlTrackingStore"/> (embedded, on the workflow store's database) and <see cref="MlflowTrackingStore"/>.
/// Errors are <see cref="TrackingException"/>s carrying MLflow's error codes.
/// </summary>
public interface ITrackingStore
{
    /// <summary>Creates the experiment, or returns the existing one with that name (safe to retry).</summary>
    Task<Experiment> CreateExperimentAsync(string name, CancellationToken ct = default);

    Task<Experiment?> GetExperimentByNameAsync(string name, CancellationToken ct = default);

    /// <summary>Starts a run in <see cref="RunStatus.Running"/>.</summary>
    Task<TrackedRun> CreateRunAsync(
        string experimentId,
        string name,
        DateTimeOffset startTime,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken ct = default);

    /// <summary>Throws RESOURCE_DOES_NOT_EXIST for an unknown run.</summary>
    Task<TrackedRun> GetRunAsync(string runId, CancellationToken ct = default);

    /// <summary>
    /// The runs in <paramref name="experimentIds"/> whose tag <paramref name="tagKey"/> is exactly
    /// <paramref name="tagValue"/>, oldest start time first, every page read (MLflow's runs/search).
    /// </summary>
    Task<IReadOnlyList<TrackedRun>> SearchRunsAsync(
        IReadOnlyList<string> experimentIds, string tagKey, string tagValue, CancellationToken ct = default);

    Task UpdateRunAsync(string runId, RunStatus status, DateTimeOffset? endTime, CancellationToken ct = default);

    /// <summary>Throws INVALID_PARAMETER_VALUE, naming the run and key, if the key holds a different value.</summary>
    Task LogParamAsync(string runId, string key, string value, CancellationToken ct = default);

    Task LogMetricAsync(string runId, MetricPoint metric, CancellationToken ct = default);

    Task SetTagAsync(string runId, string key, string value, CancellationToken ct = default);

    /// <summary>Logs everything at once; the MLflow client splits it into requests within the server's limits.</summary>
    Task LogBatchAsync(
        string runId,
        IReadOnlyList<MetricPoint> metrics,
        IReadOnlyDictionary<string, string>? parameters = null,
        IReadOnlyDictionary<string, string>? tags = null,
        CancellationToken ct = default);

    /// <summary>Every point logged for the key, ordered by step then timestamp.</summary>
    Task<IReadOnlyList<MetricPoint>> GetMetricHistoryAsync(string runId, string key, CancellationToken ct = default);

    /// <summary>Creates the registered model, or returns the existing one with that name (safe to retry).</summary>
    Task<RegisteredModel> CreateRegisteredModelAsync(string name, CancellationToken ct = default);

    Task<RegisteredModel?> GetRegisteredModelAsync(string name, CancellationToken ct = default);

    /// <summary>Every registered model with its aliases, ordered by name (ordinal), every page read.</summary>
    Task<IReadOnlyList<RegisteredModel>> SearchRegisteredModelsAsync(CancellationToken ct = default);

    /// <summary>Every version of the model, version 1 first; empty when the model does not exist.</summary>
    Task<IReadOnlyList<ModelVersion>> SearchModelVersionsAsync(string modelName, CancellationToken ct = default);

    /// <summary>Registers the artifacts at <paramref name="source"/> as the model's next version (1, 2, …).</summary>
    Task<ModelVersion> CreateModelVersionAsync(string modelName, string source, string? runId, CancellationToken ct = default);

    /// <summary>Points the alias (e.g. champion, challenger) at the version, moving it if it pointed elsewhere.</summary>
    Task SetAliasAsync(string modelName, string alias, int version, CancellationToken ct = default);

    /// <summary>The numbered version, or null when the model or the version does not exist.</summary>
    Task<ModelVersion?> GetModelVersionAsync(string modelName, int version, CancellationToken ct = default);

    Task<ModelVersion?> GetVersionByAliasAsync(string modelName, string alias, CancellationToken ct = default);

    /// <summary>Removes the alias; removing one that is not set does nothing.</summary>
    Task DeleteAliasAsync(string modelName, string alias, CancellationToken ct = default);
}
