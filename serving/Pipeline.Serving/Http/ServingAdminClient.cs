using System.Net.Http.Json;
using Pipeline.Serving.Routing;
using Pipeline.Serving.Storage;

namespace Pipeline.Serving.Http;

/// <summary>
/// The /admin routes as typed calls, for the rollout activities: start or reweight an experiment, read its stats, end
/// it. Errors surface as <see cref="ServingException"/> with the server's OpenAI error message and status.
/// </summary>
public sealed class ServingAdminClient(HttpClient http, Uri baseUrl)
{
    /// <summary>PUT /admin/experiments/{name}: starts it, or changes only the weights when variants, versions and
    /// salt are unchanged (same experiment id, stats continue); anything else starts a new experiment id.</summary>
    public async Task<ExperimentRecord> PutExperimentAsync(ExperimentDefinition definition, CancellationToken ct = default)
    {
        using var response = await http.PutAsJsonAsync(Route(definition.Name), definition, ServingJson.Options, ct);
        return await ReadAsync<ExperimentRecord>(response, ct);
    }

    /// <summary>GET /admin/experiments/{name}: the running start, else the latest ended one.</summary>
    public async Task<ExperimentRecord> GetExperimentAsync(string name, CancellationToken ct = default)
    {
        using var response = await http.GetAsync(Route(name), ct);
        return await ReadAsync<ExperimentRecord>(response, ct);
    }

    /// <summary>GET /admin/experiments/{name}/stats: per-variant counts since the experiment (re)started.</summary>
    public async Task<ExperimentStats> GetStatsAsync(string name, CancellationToken ct = default)
    {
        using var response = await http.GetAsync(new Uri(Route(name) + "/stats"), ct);
        return await ReadAsync<ExperimentStats>(response, ct);
    }

    /// <summary>DELETE /admin/experiments/{name}: ends it; requests for NAME go back to the champion alias.</summary>
    public async Task<ExperimentRecord> EndExperimentAsync(string name, CancellationToken ct = default)
    {
        using var response = await http.DeleteAsync(Route(name), ct);
        return await ReadAsync<ExperimentRecord>(response, ct);
    }

    private Uri Route(string name) => new(baseUrl, "admin/experiments/" + Uri.EscapeDataString(name));

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            var error = await response.Content.ReadFromJsonAsync<ErrorBody>(ServingJson.Options, ct);
            throw new ServingException((int)response.StatusCode,
                error?.Error.Message ?? $"HTTP {(int)response.StatusCode} from {response.RequestMessage?.RequestUri}",
                error?.Error.Type ?? "server_error", error?.Error.Param, error?.Error.Code);
        }
        return await response.Content.ReadFromJsonAsync<T>(ServingJson.Options, ct)
            ?? throw new InvalidDataException($"{response.RequestMessage?.RequestUri} answered JSON null");
    }
}
