using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Tracking.Mlflow;

/// <summary>
/// A stand-in MLflow tracking server on 127.0.0.1 (System.Net.HttpListener; no MLflow can run here). Every request is
/// checked against <see cref="MlflowContract"/> before it is served: a violation answers 400 CONTRACT_VIOLATION and is
/// kept in <see cref="Violations"/>. Answers use MLflow's shapes, status codes and error codes.
/// </summary>
internal sealed partial class FakeMlflowServer : IDisposable
{
    private const string ApiRoot = "/api/2.0/mlflow/";
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _failuresLeft;
    private HttpStatusCode _failureStatus;

    public FakeMlflowServer()
    {
        var port = Ports.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        Uri = new Uri($"http://127.0.0.1:{port}/");
        _loop = Task.Run(ServeAsync);
    }

    public Uri Uri { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public ConcurrentQueue<string> Violations { get; } = new();

    /// <summary>The next <paramref name="count"/> requests fail with <paramref name="status"/> before being served.</summary>
    public void FailNext(int count, HttpStatusCode status = HttpStatusCode.ServiceUnavailable)
    {
        _failureStatus = status;
        _failuresLeft = count;
    }

    public IReadOnlyList<RecordedRequest> RequestsTo(string method, string endpoint) =>
        [.. Requests.Where(r => r.Method == method && r.Endpoint == endpoint)];

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            // One request at a time, like a single-threaded server: the state needs no locks.
            await AnswerAsync(context);
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        var body = text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        var path = request.Url!.AbsolutePath;
        var endpoint = path.StartsWith(ApiRoot, StringComparison.Ordinal) ? path[ApiRoot.Length..] : path;
        Requests.Enqueue(new RecordedRequest(request.HttpMethod, endpoint, body, request.QueryString, request.Headers["Authorization"]));

        (int Status, JsonObject Body) answer;
        if (_failuresLeft > 0)
        {
            _failuresLeft--;
            answer = ((int)_failureStatus, Error("TEMPORARILY_UNAVAILABLE", "Injected failure."));
        }
        else if (MlflowContract.Check(request.HttpMethod, endpoint, request.ContentType, body, request.QueryString) is { Count: > 0 } problems)
        {
            foreach (var p in problems)
            {
                Violations.Enqueue(p);
            }

            answer = (400, Error("CONTRACT_VIOLATION", string.Join("; ", problems)));
        }
        else
        {
            try
            {
                answer = (200, Handle(request.HttpMethod, endpoint, body ?? [], request.QueryString));
            }
            catch (MlflowError e)
            {
                answer = (e.Status, Error(e.Code, e.Message));
            }
        }

        var bytes = Encoding.UTF8.GetBytes(answer.Body.ToJsonString());
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private static JsonObject Error(string code, string message) => new() { ["error_code"] = code, ["message"] = message };

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    private sealed class MlflowError(string code, int status, string message) : Exception(message)
    {
        public string Code { get; } = code;

        public int Status { get; } = status;
    }
}
