using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Infra.Tracking;

/// <summary>
/// One MLflow REST call: JSON in, JSON out, bounded retries with exponential backoff on 429, 5xx and failed
/// connections, and MLflow's <c>{error_code, message}</c> turned into a <see cref="TrackingException"/>.
/// </summary>
internal sealed class MlflowHttp(HttpClient http, MlflowOptions options)
{
    private const string ApiRoot = "api/2.0/mlflow/";
    private readonly AuthenticationHeaderValue? _auth = AuthHeader(options);

    public Task<JsonObject> PostAsync(string endpoint, JsonObject body, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, endpoint, body, ct);

    public Task<JsonObject> DeleteAsync(string endpoint, JsonObject body, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, endpoint, body, ct);

    public Task<JsonObject> GetAsync(string endpoint, IEnumerable<(string Name, string Value)> query, CancellationToken ct)
    {
        var qs = string.Join('&', query.Select(q => $"{Uri.EscapeDataString(q.Name)}={Uri.EscapeDataString(q.Value)}"));
        return SendAsync(HttpMethod.Get, $"{endpoint}?{qs}", null, ct);
    }

    private async Task<JsonObject> SendAsync(HttpMethod method, string endpoint, JsonObject? body, CancellationToken ct)
    {
        var uri = new Uri(options.TrackingUri, ApiRoot + endpoint);
        var json = body?.ToJsonString();
        for (var attempt = 0; ; attempt++)
        {
            // A request message cannot be sent twice: build a fresh one per attempt.
            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = _auth;
            if (json is not null)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, ct);
            }
            catch (HttpRequestException) when (attempt < options.MaxRetries)
            {
                await Task.Delay(Backoff(attempt, null), ct);
                continue;
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(ct);
                if (response.IsSuccessStatusCode)
                {
                    return text.Length == 0 ? [] : JsonNode.Parse(text) as JsonObject ?? [];
                }

                if (IsRetryable(response.StatusCode) && attempt < options.MaxRetries)
                {
                    await Task.Delay(Backoff(attempt, response.Headers.RetryAfter), ct);
                    continue;
                }

                throw ToException(method, endpoint, response.StatusCode, text);
            }
        }
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    private TimeSpan Backoff(int attempt, RetryConditionHeaderValue? retryAfter)
    {
        if (retryAfter?.Delta is { } delta)
        {
            return delta < options.MaxBackoff ? delta : options.MaxBackoff;
        }

        // Full jitter in the upper half, so several workers that failed together do not retry in lockstep.
        var ceiling = Math.Min(options.MaxBackoff.TotalMilliseconds, options.InitialBackoff.TotalMilliseconds * Math.Pow(2, attempt));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private static TrackingException ToException(HttpMethod method, string endpoint, HttpStatusCode status, string text)
    {
        string? code = null, message = null;
        try
        {
            if (JsonNode.Parse(text) is JsonObject error)
            {
                code = error["error_code"]?.GetValue<string>();
                message = error["message"]?.GetValue<string>();
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not MLflow's error shape (a proxy's HTML page, say): report the status and the raw text.
        }

        return new TrackingException(code ?? $"HTTP_{(int)status}", message ?? text, $"{method} {endpoint} answered {(int)status}");
    }

    private static AuthenticationHeaderValue? AuthHeader(MlflowOptions o)
    {
        if (!string.IsNullOrEmpty(o.Token))
        {
            return new AuthenticationHeaderValue("Bearer", o.Token);
        }

        if (!string.IsNullOrEmpty(o.Username))
        {
            var raw = Encoding.UTF8.GetBytes($"{o.Username}:{o.Password}");
            return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(raw));
        }

        return null;
    }
}
