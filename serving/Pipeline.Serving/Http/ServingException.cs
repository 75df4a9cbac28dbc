namespace Pipeline.Serving.Http;

/// <summary>An error the client should see as an OpenAI error object with this status, type, param and code.</summary>
public sealed class ServingException(int status, string message, string type = "invalid_request_error", string? param = null, string? code = null)
    : Exception(message)
{
    public int Status { get; } = status;

    public string Type { get; } = type;

    public string? Param { get; } = param;

    public string? Code { get; } = code;

    public static ServingException BadRequest(string message, string? param = null) => new(400, message, param: param);

    public static ServingException ModelNotFound(string message) => new(404, message, param: "model", code: "model_not_found");

    public static ServingException NotFound(string message, string? param = null) => new(404, message, param: param, code: "not_found");
}
