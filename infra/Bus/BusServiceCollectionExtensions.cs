using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.Infra.Bus;

/// <summary>Wires the pipeline's event bus: one call, the same consumers on either transport.</summary>
public static class BusServiceCollectionExtensions
{
    /// <summary>
    /// Adds MassTransit on the transport <paramref name="options"/> names, with the consumers that
    /// <paramref name="consumers"/> registers (<c>x.AddConsumer&lt;T&gt;()</c>), each on its own queue.
    /// A consumer that throws is redelivered <see cref="BusOptions.RetryCount"/> times; after that
    /// MassTransit moves the message to <c>&lt;queue&gt;_error</c> with the exception in its
    /// <c>MT-Fault-*</c> headers, so a poison message stops there instead of looping.
    /// With <see cref="BusOptions.OutboxPath"/> set, also adds the durable outbox and, unless
    /// <paramref name="dispatch"/> is false, its dispatcher (a worker process on the in-memory bus must not take events
    /// out of a shared outbox into a bus nobody listens on).
    /// </summary>
    public static IServiceCollection AddPipelineBus(
        this IServiceCollection services,
        BusOptions options,
        Action<IBusRegistrationConfigurator> consumers,
        bool dispatch = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(consumers);
        options.Validate();
        services.AddSingleton(options);

        services.AddMassTransit(x =>
        {
            consumers(x);
            // Per endpoint rather than bus-wide, so every queue ConfigureEndpoints creates gets the
            // same policy, whichever transport it lives on.
            x.AddConfigureEndpointsCallback((_, _, endpoint) =>
                endpoint.UseMessageRetry(r => r.Interval(options.RetryCount, options.RetryInterval)));

            if (options.Transport == BusTransport.RabbitMq)
            {
                x.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(options.Host, (ushort)options.Port, options.VirtualHost, h =>
                    {
                        h.Username(options.Username);
                        h.Password(options.Password);
                    });
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        services.AddOptions<MassTransitHostOptions>().Configure(o => o.WaitUntilStarted = options.WaitUntilStarted);

        if (options.OutboxPath is not null)
        {
            services.AddSingleton<IEventOutbox>(_ => new SqliteEventOutbox(options.OutboxPath));
            if (!dispatch) return services;
            services.AddSingleton<OutboxDispatcher>(sp => new OutboxDispatcher(
                sp.GetRequiredService<IEventOutbox>(),
                sp.GetRequiredService<IBus>(),
                options,
                sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<OutboxDispatcher>>()));
            services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        }
        return services;
    }
}
