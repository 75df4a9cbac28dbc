using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tracking;

// The model registry endpoints: registered-models/*, model-versions/create and the alias calls.
public sealed partial class MlflowTrackingStore
{
    public async Task<RegisteredModel> CreateRegisteredModelAsync(string name, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            var created = await _http.PostAsync("registered-models/create", new JsonObject { ["name"] = name }, ct);
            return MlflowJson.ToRegisteredModel(created["registered_model"]!);
        }
        catch (TrackingException e) when (e.ErrorCode == TrackingException.ResourceAlreadyExists)
        {
            return await GetRegisteredModelAsync(name, ct) ?? throw new TrackingException(e.ErrorCode, e.ServerMessage, "it exists, yet registered-models/get found none");
        }
    }

    public async Task<RegisteredModel?> GetRegisteredModelAsync(string name, CancellationToken ct = default)
    {
        var found = await GetOrNullAsync("registered-models/get", [("name", name)], ct);
        return found?["registered_model"] is { } rm ? MlflowJson.ToRegisteredModel(rm) : null;
    }

    public async Task<ModelVersion> CreateModelVersionAsync(string modelName, string source, string? runId, CancellationToken ct = default)
    {
        var body = new JsonObject { ["name"] = modelName, ["source"] = source };
        if (runId is not null)
        {
            body["run_id"] = runId;
        }

        var created = await _http.PostAsync("model-versions/create", body, ct);
        return MlflowJson.ToModelVersion(created["model_version"]!);
    }

    public async Task SetAliasAsync(string modelName, string alias, int version, CancellationToken ct = default) =>
        // MLflow's version field is a string ("1"), as everywhere in the registry API.
        await _http.PostAsync("registered-models/alias", new JsonObject
        {
            ["name"] = modelName,
            ["alias"] = alias,
            ["version"] = version.ToString(CultureInfo.InvariantCulture),
        }, ct);

    public async Task<ModelVersion?> GetModelVersionAsync(string modelName, int version, CancellationToken ct = default)
    {
        var found = await GetOrNullAsync("model-versions/get", [("name", modelName), ("version", version.ToString(CultureInfo.InvariantCulture))], ct);
        return found?["model_version"] is { } mv ? MlflowJson.ToModelVersion(mv) : null;
    }

    public async Task<ModelVersion?> GetVersionByAliasAsync(string modelName, string alias, CancellationToken ct = default)
    {
        var found = await GetOrNullAsync("registered-models/alias", [("name", modelName), ("alias", alias)], ct);
        return found?["model_version"] is { } mv ? MlflowJson.ToModelVersion(mv) : null;
    }

    public async Task DeleteAliasAsync(string modelName, string alias, CancellationToken ct = default)
    {
        try
        {
            await _http.DeleteAsync("registered-models/alias", new JsonObject { ["name"] = modelName, ["alias"] = alias }, ct);
        }
        catch (TrackingException e) when (e.ErrorCode == TrackingException.ResourceDoesNotExist)
        {
            // Deleting an alias that is not set does nothing, as in the embedded store.
        }
    }
}
