namespace Pipeline.Serving.Http;

/// <summary>OpenAI's error envelope: <c>{"error": {message, type, param, code}}</c>.</summary>
public sealed record ErrorBody(ErrorDetail Error)
{
    public static ErrorBody From(ServingException e) => new(new ErrorDetail(e.Message, e.Type, e.Param, e.Code));
}
