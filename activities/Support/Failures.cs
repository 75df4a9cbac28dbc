using Pipeline.Durable;

namespace Pipeline.Activities.Support;

/// <summary>The failures activities raise on purpose. Bad input (a malformed dataset line, an unknown policy, a corrupt
/// checkpoint) is non-retryable with a message that names the file, line or field; anything else is retried.</summary>
public static class Failures
{
    public const string InvalidInputType = "InvalidInput";

    public static ApplicationFailureException InvalidInput(string message, Exception? cause = null) =>
        new(message, InvalidInputType, nonRetryable: true, inner: cause);

    /// <summary>Runs <paramref name="body"/>, turning the engine's own bad-input exceptions into non-retryable failures
    /// (retrying cannot fix a malformed file) while everything else stays retryable.</summary>
    public static async Task<T> GuardAsync<T>(Func<Task<T>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (e is ML.IO.DataFormatException or Eval.EvalFormatException or Eval.Gates.GateException or FormatException
                                      or ArgumentException or Infra.Artifacts.ArtifactCorruptException)
        {
            throw InvalidInput(e.Message, e);
        }
    }
}
