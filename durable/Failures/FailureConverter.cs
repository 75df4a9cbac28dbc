namespace Pipeline.Durable;

/// <summary>Converts between exceptions and the stored <see cref="Failure"/> form.</summary>
public static class FailureConverter
{
    public static Failure ToFailure(Exception e) => e switch
    {
        FailureException f => f.ToFailure(),
        OperationCanceledException => new Failure { Kind = "canceled", Message = e.Message },
        _ => new Failure
        {
            Kind = "application",
            Message = e.Message,
            ErrorType = e.GetType().Name,
            StackTrace = e.StackTrace,
            Cause = e.InnerException is null ? null : ToFailure(e.InnerException),
        },
    };

    public static Exception ToException(Failure f) => f.Kind switch
    {
        "timeout" => new TimeoutFailureException(f.Message,
            Enum.TryParse<TimeoutType>(f.TimeoutType, out var t) ? t : TimeoutType.StartToClose, ToExceptionOrNull(f.Cause)),
        "canceled" => new CanceledFailureException(f.Message, ToExceptionOrNull(f.Cause)),
        "terminated" => new TerminatedFailureException(f.Message),
        _ => new ApplicationFailureException(f),
    };

    internal static Exception? ToExceptionOrNull(Failure? f) => f is null ? null : ToException(f);
}
