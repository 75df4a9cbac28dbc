using Pipeline.Infra.Artifacts;

namespace Pipeline.Infra.Tests.Artifacts;

public sealed class S3ArtifactStoreOptionsTests
{
    private static readonly S3ArtifactStoreOptions Valid = new() { ServiceUrl = "http://127.0.0.1:1", Bucket = "b" };

    [Fact]
    public void Validate_PartBelowFiveMiB_Throws() =>
        Assert.Throws<ArgumentException>(() => (Valid with { PartSize = 1024 * 1024 }).Validate());

    [Fact]
    public void Validate_MissingBucket_Throws() =>
        Assert.Throws<ArgumentException>(() => (Valid with { Bucket = "" }).Validate());

    [Fact]
    public async Task PutAsync_EndpointDown_ThrowsUnavailableAfterRetries()
    {
        // Port 1 on loopback refuses connections: every attempt fails fast, the SDK retries, then we give up.
        using var store = new S3ArtifactStore(Valid with { MaxErrorRetry = 1, Timeout = TimeSpan.FromSeconds(5) });

        var ex = await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() =>
            store.PutAsync(new MemoryStream([1, 2, 3]), new ArtifactMetadata(ArtifactKinds.Dataset, "x", DateTimeOffset.UnixEpoch)));

        Assert.Contains("after 1 retries", ex.Message);
    }
}
