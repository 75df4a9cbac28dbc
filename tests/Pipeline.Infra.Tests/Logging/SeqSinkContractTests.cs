using System.Diagnostics;
using System.Text.Json;
using Pipeline.Infra.Logging;
using Pipeline.Infra.Tests.Support;
using Serilog.Events;
using Serilog.Parsing;
using Xunit.Abstractions;

namespace Pipeline.Infra.Tests.Logging;

/// <summary>The sink against a local HTTP listener that checks Seq's ingestion contract.</summary>
public sealed class SeqSinkContractTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static LogEvent Event(int i) => new(DateTimeOffset.UtcNow, LogEventLevel.Information, null,
        new MessageTemplateParser().Parse("Event {N}"), [new("N", new ScalarValue(i))]);

    private static SeqSinkOptions Options(Uri url) => new()
    {
        ServerUrl = url,
        Period = TimeSpan.FromMilliseconds(50),
        MinBackoff = TimeSpan.FromMilliseconds(200),
        MaxBackoff = TimeSpan.FromSeconds(1),
        RequestTimeout = TimeSpan.FromSeconds(5),
        DisposeTimeout = TimeSpan.FromSeconds(2),
    };

    private static void AssertClefLines(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
            Assert.True(DateTimeOffset.TryParse(json.RootElement.GetProperty("@t").GetString(), out _), line);
            Assert.Equal("Event {N}", json.RootElement.GetProperty("@mt").GetString());
        }
    }

    [Fact]
    public async Task Emit_SeqUp_PostsBatchedClefWithApiKey()
    {
        using var seq = new FakeSeqServer();
        using (var sink = new SeqSink(Options(seq.Url) with { ApiKey = "k-123", BatchSize = 10 }))
        {
            for (var i = 0; i < 25; i++) sink.Emit(Event(i));
            await seq.WaitForAcceptedAsync(25, Patience);
        }

        var requests = seq.Requests;
        Assert.All(requests, r =>
        {
            Assert.Equal("POST", r.Method);
            Assert.Equal("/ingest/clef", r.Path);
            Assert.Equal("application/vnd.serilog.clef", r.ContentType?.Split(';')[0]);
            Assert.Equal("k-123", r.ApiKey);
            Assert.InRange(r.Lines.Length, 1, 10);
        });
        AssertClefLines(seq.AcceptedLines);
        Assert.Equal(Enumerable.Range(0, 25), seq.AcceptedLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("N").GetInt32()));
    }

    [Fact]
    public void Emit_NoApiKey_SendsNoKeyHeader()
    {
        using var seq = new FakeSeqServer();
        using (var sink = new SeqSink(Options(seq.Url)))
        {
            sink.Emit(Event(1));
        }
        Assert.Null(Assert.Single(seq.Requests).ApiKey);
    }

    [Fact]
    public void Emit_SeqDown_ReturnsAtOnceAndBoundsTheBuffer()
    {
        var down = new Uri($"http://127.0.0.1:{Ports.Free()}/");
        using var sink = new SeqSink(Options(down) with { QueueLimit = 1_000, BatchSize = 100 });

        var events = Enumerable.Range(0, 10_000).Select(Event).ToArray();
        var clock = Stopwatch.StartNew();
        foreach (var e in events) sink.Emit(e);
        clock.Stop();
        output.WriteLine($"10,000 emits with Seq down: {clock.Elapsed.TotalMilliseconds:F1} ms, dropped {sink.DroppedCount}");

        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(500), $"10,000 emits took {clock.ElapsedMilliseconds} ms");
        Assert.InRange(sink.BufferedCount, 0, 1_000);
        // At most one queue's worth plus one batch in flight can have escaped the drop count.
        Assert.InRange(sink.DroppedCount, 10_000 - 1_000 - 100, 10_000);
    }

    [Fact]
    public void Dispose_SeqDown_ReturnsWithinTheDisposeTimeout()
    {
        var down = new Uri($"http://127.0.0.1:{Ports.Free()}/");
        var sink = new SeqSink(Options(down) with { DisposeTimeout = TimeSpan.FromMilliseconds(500) });
        for (var i = 0; i < 100; i++) sink.Emit(Event(i));

        var clock = Stopwatch.StartNew();
        sink.Dispose();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"Dispose took {clock.ElapsedMilliseconds} ms");
        sink.Emit(Event(101)); // after Dispose: counted, not thrown
        Assert.Equal(101, sink.DroppedCount);
    }

    [Fact]
    public async Task Emit_SeqAnswers500Then201_RetriesWithBackoffAndDeliversOnce()
    {
        using var seq = new FakeSeqServer(500);
        using (var sink = new SeqSink(Options(seq.Url) with { BatchSize = 5 }))
        {
            for (var i = 0; i < 5; i++) sink.Emit(Event(i));
            await seq.WaitForAcceptedAsync(5, Patience);
        }

        var requests = seq.Requests;
        Assert.True(requests.Count == 2, string.Join(" | ", requests.Select(r => $"{r.Status} {r.Lines.Length} {r.ReceivedUtc:HH:mm:ss.fff} {r.Lines.FirstOrDefault()}")));
        Assert.Equal([500, 201], requests.Select(r => r.Status));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.True(requests[1].ReceivedUtc - requests[0].ReceivedUtc >= TimeSpan.FromMilliseconds(150),
            $"retry came {(requests[1].ReceivedUtc - requests[0].ReceivedUtc).TotalMilliseconds} ms after the failure");
        Assert.Equal(5, seq.AcceptedLines.Count);
    }

    [Fact]
    public void Dispose_EventsBelowBatchSizeAndLongPeriod_FlushesThem()
    {
        using var seq = new FakeSeqServer();
        var sink = new SeqSink(Options(seq.Url) with { Period = TimeSpan.FromHours(1) });
        for (var i = 0; i < 7; i++) sink.Emit(Event(i));
        Assert.Empty(seq.Requests);

        sink.Dispose();

        Assert.Equal(7, seq.AcceptedLines.Count);
        AssertClefLines(seq.AcceptedLines);
    }

    [Fact]
    public void Emit_Seq400_DropsTheBatchAndCountsIt()
    {
        using var seq = new FakeSeqServer(400);
        var sink = new SeqSink(Options(seq.Url));
        for (var i = 0; i < 3; i++) sink.Emit(Event(i));
        sink.Dispose();
        Assert.Single(seq.Requests);
        Assert.Equal(3, sink.DroppedCount);
    }
}
