namespace Pipeline.Durable;

/// <summary>Base of every exception the engine carries across the workflow/activity boundary.
/// An unhandled FailureException fails the workflow; other exceptions fail only the workflow task (a bug: the
/// task is retried until the code is fixed), as in Temporal.</summary>
public abstract class FailureException : Exception
{
    protected FailureException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>The failure as stored in history.</summary>
    public abstract Failure ToFailure();

    private protected Failure? CauseFailure() => InnerException is null ? null : FailureConverter.ToFailure(InnerException);
}
