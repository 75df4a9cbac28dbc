using System.Net;
using System.Text;
using Serilog.Debugging;

namespace Pipeline.Infra.Logging;

/// <summary>What became of one POST to Seq.</summary>
internal enum SeqPostOutcome
{
    /// <summary>2xx: Seq has the events.</summary>
    Delivered,
    /// <summary>A 4xx that resending will not fix (bad payload, bad key): the batch is given up.</summary>
    Rejected,
    /// <summary>Network failure, timeout, 5xx, 408 or 429: send the same batch again later.</summary>
    Retry,
}

/// <summary>One CLEF batch to <c>{server}/ingest/clef</c>, as Seq's HTTP ingestion API asks for it.</summary>
internal sealed class SeqIngestClient(Uri serverUrl, string? apiKey) : IDisposable
{
    private const string ClefMediaType = "application/vnd.serilog.clef";

    // Each request carries its own deadline through its CancellationToken.
    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };

    public Uri IngestUri { get; } = new(serverUrl.AbsoluteUri.TrimEnd('/') + "/ingest/clef");

    public async Task<SeqPostOutcome> PostAsync(string clefLines, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, IngestUri)
            {
                Content = new StringContent(clefLines, new UTF8Encoding(false), ClefMediaType),
            };
            if (!string.IsNullOrEmpty(apiKey)) request.Headers.Add("X-Seq-ApiKey", apiKey);
            using var response = await _http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode) return SeqPostOutcome.Delivered;
            SelfLog.WriteLine("SeqSink: {0} answered {1}", IngestUri, (int)response.StatusCode);
            return IsRetryable(response.StatusCode) ? SeqPostOutcome.Retry : SeqPostOutcome.Rejected;
        }
        catch (Exception ex)
        {
            SelfLog.WriteLine("SeqSink: posting to {0} failed: {1}", IngestUri, ex.Message);
            return SeqPostOutcome.Retry;
        }
    }

    private static bool IsRetryable(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    public void Dispose() => _http.Dispose();
}
