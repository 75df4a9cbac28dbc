using System.Text.Json;

namespace Pipeline.Durable;

/// <summary>An error raised on purpose by workflow or activity code. Non-retryable when <see cref="NonRetryable"/>
/// is set or its <see cref="ErrorType"/> is listed in the retry policy's NonRetryableErrorTypes.</summary>
public class ApplicationFailureException : FailureException
{
    public ApplicationFailureException(string message, string? errorType = null, bool nonRetryable = false,
        object? details = null, Exception? inner = null) : base(message, inner)
    {
        ErrorType = errorType ?? "ApplicationFailure";
        NonRetryable = nonRetryable;
        Details = details is null ? null : details as JsonElement? ?? JsonSerializer.SerializeToElement(details, DataConverter.Options);
    }

    internal ApplicationFailureException(Failure f)
        : this(f.Message, f.ErrorType, f.NonRetryable, f.Details, FailureConverter.ToExceptionOrNull(f.Cause))
    {
        RemoteStackTrace = f.StackTrace;
    }

    public string ErrorType { get; }
    public bool NonRetryable { get; }
    public JsonElement? Details { get; }

    /// <summary>Stack trace of the original exception when it was raised in another process.</summary>
    public string? RemoteStackTrace { get; }

    public T? GetDetails<T>() => Details is { } d ? d.Deserialize<T>(DataConverter.Options) : default;

    public override Failure ToFailure() => new()
    {
        Kind = "application",
        Message = Message,
        ErrorType = ErrorType,
        NonRetryable = NonRetryable,
        Details = Details,
        StackTrace = RemoteStackTrace ?? StackTrace,
        Cause = CauseFailure(),
    };
}
