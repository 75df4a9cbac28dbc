using Pipeline.Durable.Tests.Support;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Contracts;

namespace Pipeline.Infra.Tests.Bus;

[Collection(RabbitMqCollection.Name)]
public sealed class OutboxRabbitMqTests(RabbitMqBroker broker) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-outbox-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Enqueue_BrokerStoppedThenStarted_ConsumerGetsEventExactlyOnce()
    {
        var options = new BusOptions
        {
            Transport = BusTransport.RabbitMq, Port = broker.Port,
            OutboxPath = Path.Combine(_dir, "outbox.db"),
            OutboxPollInterval = TimeSpan.FromMilliseconds(100), OutboxMaxBackoff = TimeSpan.FromSeconds(1),
            PublishTimeout = TimeSpan.FromSeconds(2),
        };
        // The consumer's durable queue exists before the outage, as it would in production.
        using var host = await BusTestHost.StartAsync(options, BusTestHost.Consumers("rmq-outbox"));
        var outbox = host.Get<IEventOutbox>();
        var sent = Samples.Published("rmq-outbox");

        await broker.StopAsync();
        try
        {
            await outbox.EnqueueAsync(sent);
            // A failed attempt is on record: the dispatcher tried while the broker was down.
            await Eventually.TrueAsync(async () => (await outbox.PendingAsync(1)) is [{ Attempts: > 0 }], TimeSpan.FromSeconds(60), "a failed publish attempt");
        }
        finally
        {
            await broker.StartAsync();
        }

        var received = host.Get<ReceivedMessages>();
        await received.WaitForAsync(1, TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => (await outbox.PendingAsync(1)).Count == 0, TimeSpan.FromSeconds(60), "the row marked sent");
        await host.StopAsync();
        Assert.Equal(sent, Assert.Single(received.Items).Message);
    }
}
