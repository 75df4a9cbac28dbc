using System.Net;
using Amazon.Runtime;
using Amazon.S3;

namespace Pipeline.Infra.Artifacts;

/// <summary>
/// Runs one S3 call and turns what is left after the SDK's retries into a clear exception: transient failures
/// (network, timeouts, 5xx, throttling) become <see cref="ArtifactStoreUnavailableException"/>; a 404 on a probe
/// becomes null. Anything else (403, a bad request) is a bug or a misconfiguration and propagates unchanged.
/// </summary>
internal sealed class S3Calls(S3ArtifactStoreOptions options)
{
    public async Task<T> RunAsync<T>(string operation, string key, Func<Task<T>> call, CancellationToken ct)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (!ct.IsCancellationRequested && IsTransient(e))
        {
            throw new ArtifactStoreUnavailableException(
                $"S3 {operation} of s3://{options.Bucket}/{key} at {options.ServiceUrl} failed after {options.MaxErrorRetry} retries: {e.Message}", e);
        }
    }

    public async Task<T?> ProbeAsync<T>(string operation, string key, Func<Task<T>> call, CancellationToken ct)
        where T : class
    {
        try
        {
            return await RunAsync(operation, key, call, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static bool IsTransient(Exception e) => e switch
    {
        AmazonServiceException s when s.StatusCode is HttpStatusCode.NotFound => false,
        AmazonServiceException s when (int)s.StatusCode >= 500 || s.StatusCode == HttpStatusCode.TooManyRequests => true,
        AmazonServiceException { StatusCode: 0 } => true,
        AmazonClientException or HttpRequestException or IOException or TimeoutException or TaskCanceledException => true,
        _ => false,
    };
}
