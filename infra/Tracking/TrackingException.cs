namespace Pipeline.Infra.Tracking;

/// <summary>A tracking call the store refused. <see cref="ErrorCode"/> uses MLflow's codes in both stores, so callers
/// can handle the embedded store and an MLflow server alike.</summary>
public sealed class TrackingException : Exception
{
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";

    public TrackingException(string errorCode, string message, Exception? inner = null)
        : base($"{errorCode}: {message}", inner)
    {
        ErrorCode = errorCode;
        ServerMessage = message;
    }

    /// <summary>MLflow's <c>error_code</c>, e.g. INVALID_PARAMETER_VALUE.</summary>
    public string ErrorCode { get; }

    /// <summary>MLflow's <c>message</c>, or the embedded store's equivalent.</summary>
    public string ServerMessage { get; }
}
