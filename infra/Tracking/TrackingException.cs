namespace Pipeline.Infra.Tracking;

/// <summary>A tracking call the store refused. <see cref="ErrorCode"/> uses MLflow's codes in both stores, so callers
/// can handle the embedded store and an MLflow server alike.</summary>
public sealed class TrackingException : Exception
{
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";

    /// <param name="context">Where it happened (e.g. the endpoint), prefixed to <see cref="Exception.Message"/>.</param>
    public TrackingException(string errorCode, string message, string? context = null)
        : base(context is null ? $"{errorCode}: {message}" : $"{context}: {errorCode}: {message}")
    {
        ErrorCode = errorCode;
        ServerMessage = message;
    }

    /// <summary>MLflow's <c>error_code</c>, e.g. INVALID_PARAMETER_VALUE.</summary>
    public string ErrorCode { get; }

    /// <summary>MLflow's <c>message</c>, or the embedded store's equivalent.</summary>
    public string ServerMessage { get; }
}
