using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Pipeline.Infra.Tests.Bus;

/// <summary>Just enough of RabbitMQ's management HTTP API to look into a queue without consuming it.</summary>
public sealed class ManagementApi(int port) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}/api/"),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("guest:guest"u8.ToArray())) },
    };

    /// <summary>Peeks at up to one message (requeued) and returns its AMQP headers; polls until one is there.</summary>
    public async Task<JsonElement> WaitForMessageHeadersAsync(string queue, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var body = new StringContent("""{"count":1,"ackmode":"ack_requeue_true","encoding":"auto"}""", Encoding.UTF8, "application/json");
        while (true)
        {
            using var response = await _http.PostAsync($"queues/%2F/{Uri.EscapeDataString(queue)}/get", body);
            if (response.IsSuccessStatusCode)
            {
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                if (doc.RootElement.GetArrayLength() > 0)
                    return doc.RootElement[0].GetProperty("properties").GetProperty("headers").Clone();
            }
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"no message in queue {queue} within {timeout} (last status {(int)response.StatusCode})");
            await Task.Delay(100);
        }
    }

    public void Dispose() => _http.Dispose();
}
