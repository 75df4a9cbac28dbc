using MassTransit;
using Pipeline.Infra.Bus;

namespace Pipeline.Infra.Tests.Bus;

[Collection(RabbitMqCollection.Name)]
public sealed class RabbitMqBusTests(RabbitMqBroker broker)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private BusOptions Options => new()
    {
        Transport = BusTransport.RabbitMq, Port = broker.Port,
        RetryCount = 2, RetryInterval = TimeSpan.FromMilliseconds(10),
    };

    [Fact]
    public async Task Publish_RabbitMq_SameConsumerReceivesEvent()
    {
        using var host = await BusTestHost.StartAsync(Options, BusTestHost.Consumers("rmq-ok"));
        var sent = Samples.Published("rmq-ok");

        await host.Get<IBus>().Publish(sent);

        var received = host.Get<ReceivedMessages>();
        await received.WaitForAsync(1, Timeout);
        Assert.Contains(received.Items, r => Equals(r.Message, sent));
        await host.StopAsync();
    }

    [Fact]
    public async Task Publish_RabbitMqConsumerAlwaysThrows_MessageInErrorQueueWithFaultHeader()
    {
        using var host = await BusTestHost.StartAsync(Options, BusTestHost.Consumers("rmq-poison"));
        var sent = Samples.Published("rmq-poison");

        await host.Get<IBus>().Publish(sent);

        using var api = new ManagementApi(broker.ManagementPort);
        var headers = await api.WaitForMessageHeadersAsync("rmq-poison-poison_error", Timeout);
        Assert.Contains(PoisonConsumer.Reason, headers.GetProperty("MT-Fault-Message").GetString());
        Assert.Equal(1 + Options.RetryCount, host.Get<AttemptCounter>().Count);
        await host.StopAsync();
    }
}
