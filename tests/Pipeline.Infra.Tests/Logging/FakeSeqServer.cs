using System.Collections.Concurrent;
using System.Net;
using Pipeline.Infra.Tests.Support;

namespace Pipeline.Infra.Tests.Logging;

/// <summary>
/// An HttpListener on 127.0.0.1 standing in for Seq's ingestion endpoint. It records every request
/// and answers with the scripted statuses in order, then 201 for the rest.
/// </summary>
public sealed class FakeSeqServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentQueue<int> _script;
    private readonly List<SeqRequest> _requests = [];
    private readonly Task _loop;
    private readonly TaskCompletionSource _eventsArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _expectedEvents = int.MaxValue;

    public FakeSeqServer(params int[] statuses)
    {
        _script = new ConcurrentQueue<int>(statuses);
        Url = new Uri($"http://127.0.0.1:{Ports.Free()}/");
        _listener.Prefixes.Add(Url.AbsoluteUri);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    public IReadOnlyList<SeqRequest> Requests
    {
        get { lock (_requests) return [.. _requests]; }
    }

    /// <summary>Lines of every request answered with success.</summary>
    public IReadOnlyList<string> AcceptedLines =>
        Requests.Where(r => r.Status is >= 200 and < 300).SelectMany(r => r.Lines).ToList();

    /// <summary>Completes once at least <paramref name="count"/> events were accepted; fails after the timeout.</summary>
    public async Task WaitForAcceptedAsync(int count, TimeSpan timeout)
    {
        lock (_requests)
        {
            _expectedEvents = count;
            if (AcceptedCountLocked() >= count) return;
        }
        var done = await Task.WhenAny(_eventsArrived.Task, Task.Delay(timeout));
        Assert.True(done == _eventsArrived.Task, $"expected {count} events within {timeout}, got {AcceptedLines.Count}");
    }

    private int AcceptedCountLocked() =>
        _requests.Where(r => r.Status is >= 200 and < 300).Sum(r => r.Lines.Length);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            using var reader = new StreamReader(context.Request.InputStream, context.Request.ContentEncoding);
            var body = await reader.ReadToEndAsync();
            var status = _script.TryDequeue(out var s) ? s : 201;
            var request = new SeqRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath,
                context.Request.ContentType, context.Request.Headers["X-Seq-ApiKey"], body, status, DateTime.UtcNow);
            lock (_requests)
            {
                _requests.Add(request);
                if (AcceptedCountLocked() >= _expectedEvents) _eventsArrived.TrySetResult();
            }
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
