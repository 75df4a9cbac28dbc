using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Pipeline.Infra.Tests.Bus;

namespace Pipeline.Workers.Tests.Cli;

/// <summary>`pipeline dataset publish` and `pipeline events flush` against a real RabbitMQ node: published while the
/// broker is down (exit 1, the event waits in the outbox), flushed once it is back (exit 0), and the event arrives
/// on the DatasetVersionPublished exchange.</summary>
public sealed class DatasetPublishCliRabbitMqTests(RabbitMqBroker broker) : CliInTempDirTest("publish-rmq-cli-"), IClassFixture<RabbitMqBroker>
{
    private const string Exchange = "Pipeline.Infra.Contracts:DatasetVersionPublished";

    [Fact]
    public async Task PublishWhileBrokerDownThenFlush_Exits1ThenFlushDeliversTheEvent()
    {
        await RunHereOkAsync("dataset", "generate", "--version", "v1", "--corpus-lines", "2000", "--out", P("v1"));
        string[] rabbit = ["--set", "Bus:Transport=RabbitMq", "--set", $"Bus:Port={broker.Port}"];
        var queue = "cli-publish-" + Guid.NewGuid().ToString("N")[..8];

        await broker.StopAsync();
        (int Code, string Output) published;
        try
        {
            published = await RunHereAsync(["dataset", "publish", "v1", "--wait", "0", .. rabbit]);
        }
        finally
        {
            await broker.StartAsync();
        }
        var pending = JsonArrayIn(await RunHereOkAsync(["events", "pending", "--json", .. rabbit]));
        using var api = new HttpClient
        {
            BaseAddress = new Uri($"http://127.0.0.1:{broker.ManagementPort}/api/"),
            DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray())) },
        };
        // A queue bound to the event's exchange (declared as MassTransit declares it) catches what the flush publishes.
        await PutAsync(api, $"exchanges/%2F/{Uri.EscapeDataString(Exchange)}", """{"type":"fanout","durable":true,"auto_delete":false}""");
        await PutAsync(api, $"queues/%2F/{queue}", """{"durable":false,"auto_delete":false}""");
        await PostAsync(api, $"bindings/%2F/e/{Uri.EscapeDataString(Exchange)}/q/{queue}", "{}");
        var flushed = await RunHereAsync(["events", "flush", "--wait", "30", .. rabbit]);
        var after = JsonArrayIn(await RunHereOkAsync(["events", "pending", "--json", .. rabbit]));
        var payload = await WaitForMessageAsync(api, queue, TimeSpan.FromSeconds(30));

        Assert.True(published.Code == 1, published.Output);
        Assert.Contains("1 event(s) wait in", published.Output);
        Assert.Equal(1, pending.GetArrayLength());
        Assert.True(flushed.Code == 0, flushed.Output);
        Assert.Contains("1 event(s) delivered, 0 pending", flushed.Output);
        Assert.Equal(0, after.GetArrayLength());
        Assert.Contains("arith-demo", payload);
        Assert.Contains(pending[0].GetProperty("messageId").GetString()!, payload);
    }

    private static async Task PutAsync(HttpClient api, string path, string json)
    {
        using var response = await api.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"PUT {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task PostAsync(HttpClient api, string path, string json)
    {
        using var response = await api.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>The payload of the first message in <paramref name="queue"/> (requeued), polled for at most <paramref name="timeout"/>.</summary>
    private static async Task<string> WaitForMessageAsync(HttpClient api, string queue, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            using var response = await api.PostAsync($"queues/%2F/{queue}/get",
                new StringContent("""{"count":1,"ackmode":"ack_requeue_true","encoding":"auto"}""", Encoding.UTF8, "application/json"));
            if (response.IsSuccessStatusCode)
            {
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (doc.RootElement.GetArrayLength() > 0) return doc.RootElement[0].GetProperty("payload").GetString()!;
            }
            Assert.True(DateTime.UtcNow < deadline, $"no message in queue {queue} within {timeout} (last status {(int)response.StatusCode})");
            await Task.Delay(100);
        }
    }
}
