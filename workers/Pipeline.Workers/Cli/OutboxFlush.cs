using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Infra.Bus;

namespace Pipeline.Workers.Cli;

/// <summary>Delivers a CLI process's outbox to RabbitMQ in one go: start a bus, publish pending events in order with
/// backoff until none is left or the time is up, stop the bus. The long-running equivalent is the server's
/// <see cref="OutboxDispatcher"/> hosted service.</summary>
public static class OutboxFlush
{
    /// <summary>Returns how many events were sent and how many are still pending.</summary>
    public static async Task<(int Delivered, int Pending)> DeliverAsync(IEventOutbox outbox, BusOptions options, TimeSpan wait, CancellationToken ct)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPipelineBus(options with { OutboxPath = null, WaitUntilStarted = false }, _ => { });
        await using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        var deadline = DateTime.UtcNow + wait;
        var delivered = 0;
        try
        {
            using var startTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            startTimeout.CancelAfter(wait + TimeSpan.FromSeconds(1));
            await bus.StartAsync(startTimeout.Token);
            var dispatcher = new OutboxDispatcher(outbox, bus, options, NullLogger<OutboxDispatcher>.Instance);
            var backoff = TimeSpan.FromMilliseconds(500);
            while (true)
            {
                var (published, drained) = await dispatcher.DispatchPendingAsync(ct);
                delivered += published;
                if (drained || DateTime.UtcNow + backoff > deadline) break;
                await Task.Delay(backoff, ct);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The broker refused the connection at start: the events stay in the outbox, counted below.
        }
        finally
        {
            using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await bus.StopAsync(stopTimeout.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or MassTransitException)
            {
                // Stopping a bus that never connected may time out; nothing is lost by leaving.
            }
        }
        return (delivered, (await outbox.PendingAsync(int.MaxValue, ct)).Count);
    }
}
