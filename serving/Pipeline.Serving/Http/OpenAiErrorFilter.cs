using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Pipeline.Serving.Http;

/// <summary>Turns every exception into an OpenAI error object: the client gets a clear message, never a stack trace
/// (that goes to the log).</summary>
internal sealed class OpenAiErrorFilter(ILogger<OpenAiErrorFilter> log) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ServingException e)
        {
            return ServingEndpoints.Json(ErrorBody.From(e), e.Status);
        }
        catch (BadHttpRequestException e)
        {
            return ServingEndpoints.Json(ErrorBody.From(ServingException.BadRequest(e.Message)), e.StatusCode);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "Unhandled error serving {Path}", context.HttpContext.Request.Path);
            var error = new ServingException(500, $"internal server error: {e.GetType().Name}: {e.Message}", "server_error");
            return ServingEndpoints.Json(ErrorBody.From(error), 500);
        }
    }
}
