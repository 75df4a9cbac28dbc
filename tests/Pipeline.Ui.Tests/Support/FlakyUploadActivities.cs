using Pipeline.Durable;

namespace Pipeline.Ui.Tests.Support;

/// <summary>An upload that fails the way real ones do: the first attempt cannot reach the store (retryable), the
/// retry is refused for good (non-retryable). The run it belongs to fails with a retry in its history.</summary>
public sealed class FlakyUploadActivities
{
    public const string ConnectionRefused = "connection refused (127.0.0.1:9000): the artifact store is not listening";
    public const string BucketMissing = "bucket 'models' does not exist";

    [Activity]
    public Task<FlakyUploadResult> UploadAsync(FlakyUploadInput input)
    {
        var attempt = ActivityExecutionContext.Current.Info.Attempt;
        return Task.FromException<FlakyUploadResult>(attempt == 1
            ? new ApplicationFailureException(ConnectionRefused, "ConnectionRefused")
            : new ApplicationFailureException(BucketMissing, "BucketMissing", nonRetryable: true));
    }
}
