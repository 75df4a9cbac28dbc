using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Infra.Bus;

namespace Pipeline.Infra.Tests.Bus;

/// <summary>Starts a generic host with <see cref="BusServiceCollectionExtensions.AddPipelineBus"/> and the test sinks.</summary>
public static class BusTestHost
{
    public static async Task<IHost> StartAsync(BusOptions options, Action<IBusRegistrationConfigurator> consumers)
    {
        var host = new HostBuilder()
            .ConfigureServices(services =>
            {
                services.AddSingleton<ReceivedMessages>();
                services.AddSingleton<FaultMessages>();
                services.AddSingleton<AttemptCounter>();
                services.AddPipelineBus(options with { WaitUntilStarted = true }, consumers);
            })
            .Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>The queue/endpoint layout every bus test uses: the consumers and a reader of the fault events.</summary>
    public static Action<IBusRegistrationConfigurator> Consumers(string prefix) => x =>
    {
        x.AddConsumer<RecordingConsumer>().Endpoint(e => e.Name = $"{prefix}-recording");
        x.AddConsumer<PoisonConsumer>().Endpoint(e => e.Name = $"{prefix}-poison");
        x.AddConsumer<FaultConsumer>().Endpoint(e => e.Name = $"{prefix}-faults");
    };

    public static T Get<T>(this IHost host)
        where T : notnull => host.Services.GetRequiredService<T>();
}
