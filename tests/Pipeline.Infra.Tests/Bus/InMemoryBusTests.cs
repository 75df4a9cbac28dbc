using MassTransit;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Contracts;

namespace Pipeline.Infra.Tests.Bus;

public sealed class InMemoryBusTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);
    private static readonly BusOptions Options = new() { RetryCount = 2, RetryInterval = TimeSpan.FromMilliseconds(10) };

    [Fact]
    public async Task Publish_DatasetVersionPublished_ConsumerReceivesIt()
    {
        using var host = await BusTestHost.StartAsync(Options, BusTestHost.Consumers("mem-ok"));
        var sent = Samples.Published("gsm-mini");

        await host.Get<IBus>().Publish(sent);

        var received = host.Get<ReceivedMessages>();
        await received.WaitForAsync(1, Timeout);
        Assert.Equal(sent, Assert.Single(received.Items).Message);
        await host.StopAsync();
    }

    [Fact]
    public async Task Publish_ConsumerAlwaysThrows_FaultCarriesReasonAfterRetries()
    {
        using var host = await BusTestHost.StartAsync(Options, BusTestHost.Consumers("mem-poison"));
        var sent = Samples.Published("poison");

        await host.Get<IBus>().Publish(sent);

        var faults = host.Get<FaultMessages>().Messages;
        await faults.WaitForAsync(1, Timeout);
        var fault = Assert.IsAssignableFrom<Fault<DatasetVersionPublished>>(Assert.Single(faults.Items).Message);
        Assert.Equal(sent, fault.Message);
        Assert.Contains(PoisonConsumer.Reason, Assert.Single(fault.Exceptions).Message);
        // The first delivery plus RetryCount redeliveries, then no more.
        Assert.Equal(1 + Options.RetryCount, host.Get<AttemptCounter>().Count);
        await host.StopAsync();
    }

    [Fact]
    public void Validate_RabbitMqWithBadPortAndNegativeRetry_NamesBoth()
    {
        var options = new BusOptions { Transport = BusTransport.RabbitMq, Port = 0, RetryCount = -1 };

        var e = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("Port 0", e.Message);
        Assert.Contains("RetryCount -1", e.Message);
    }

    [Fact]
    public void Validate_Defaults_Pass()
    {
        new BusOptions().Validate();
        new BusOptions { Transport = BusTransport.RabbitMq }.Validate();
    }
}
