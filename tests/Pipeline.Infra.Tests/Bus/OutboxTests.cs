using MassTransit;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Contracts;

namespace Pipeline.Infra.Tests.Bus;

public sealed class OutboxTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-outbox-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task DispatchPending_ThreeEvents_PublishedInEnqueueOrder()
    {
        using var host = await BusTestHost.StartAsync(new BusOptions(), BusTestHost.Consumers("mem-order"));
        var outbox = new SqliteEventOutbox(Path.Combine(_dir, "outbox.db"));
        var sent = new[] { "a", "b", "c" }.Select(d => Samples.Published(d)).ToArray();
        foreach (var e in sent)
            await outbox.EnqueueAsync(e);

        var (published, drained) = await Dispatcher(outbox, host).DispatchPendingAsync(CancellationToken.None);

        Assert.Equal((3, true), (published, drained));
        var received = host.Get<ReceivedMessages>();
        await received.WaitForAsync(3, TimeSpan.FromSeconds(15));
        Assert.Equal(sent, received.Items.Select(r => r.Message));
        await host.StopAsync();
    }

    [Fact]
    public async Task DispatchPending_CrashBetweenPublishAndMarkSent_RedeliversSameMessageIdOnce()
    {
        using var host = await BusTestHost.StartAsync(new BusOptions(), BusTestHost.Consumers("mem-dup"));
        var outbox = new SqliteEventOutbox(Path.Combine(_dir, "outbox.db"));
        var id = await outbox.EnqueueAsync(Samples.Published("gsm-mini", "v3"));

        await Assert.ThrowsAsync<IOException>(() =>
            Dispatcher(new CrashAfterPublishOutbox(outbox), host).DispatchPendingAsync(CancellationToken.None));
        // The restarted dispatcher finds the row still pending and publishes it again.
        await Dispatcher(outbox, host).DispatchPendingAsync(CancellationToken.None);

        var received = host.Get<ReceivedMessages>();
        await received.WaitForAsync(2, TimeSpan.FromSeconds(15));
        Assert.Empty(await outbox.PendingAsync(10));
        // At least once: both copies carry the enqueue-time message id, and the recipe's workflow id
        // (post-train/{dataset}@{version}) is the same, so an idempotent consumer starts one workflow.
        Assert.All(received.Items, r => Assert.Equal(id, r.MessageId));
        var workflowIds = received.Items.Select(r => (DatasetVersionPublished)r.Message)
            .Select(m => $"post-train/{m.Dataset}@{m.Version}").Distinct();
        Assert.Equal("post-train/gsm-mini@v3", Assert.Single(workflowIds));
        await host.StopAsync();
    }

    private static OutboxDispatcher Dispatcher(IEventOutbox outbox, Microsoft.Extensions.Hosting.IHost host) =>
        new(outbox, host.Get<IBus>(), new BusOptions(), NullLogger<OutboxDispatcher>.Instance);
}
