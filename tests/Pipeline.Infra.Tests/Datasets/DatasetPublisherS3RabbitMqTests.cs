using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Durable.Tests.Support;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Contracts;
using Pipeline.Infra.Datasets;
using Pipeline.Infra.Tests.Bus;
using Pipeline.Infra.Tests.Services;

namespace Pipeline.Infra.Tests.Datasets;

/// <summary>
/// Publish end to end on the real services: files to s3rver, the event through a SQLite outbox to RabbitMQ.
/// In the broker's collection because it stops the shared node; its own s3rver (a class fixture) because a
/// test class can be in one collection only.
/// </summary>
[Collection(RabbitMqCollection.Name)]
public sealed class DatasetPublisherS3RabbitMqTests(RabbitMqBroker broker, S3rverFixture s3) : IClassFixture<S3rverFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-datasets-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task PublishAsync_BrokerDownThenUp_EventDeliveredOnceAndFilesComeBackFromS3()
    {
        // No OutboxPath: the test drives the dispatcher itself, so each attempt's outcome is observable.
        var options = new BusOptions
        {
            Transport = BusTransport.RabbitMq, Port = broker.Port, PublishTimeout = TimeSpan.FromSeconds(2),
        };
        using var host = await BusTestHost.StartAsync(options, BusTestHost.Consumers("ds-publish"));
        var outbox = new SqliteEventOutbox(Path.Combine(_dir, "outbox.db"));
        var dispatcher = new OutboxDispatcher(outbox, host.Get<MassTransit.IBus>(), options, NullLogger<OutboxDispatcher>.Instance);
        using var store = new S3ArtifactStore(await s3.CreateBucketAsync(prefix: "datasets"));
        var folder = DatasetFolders.Make(_dir, "src");

        DatasetPublishResult result;
        await broker.StopAsync();
        try
        {
            // Publishing needs only the store and the outbox file: it is accepted with the broker down.
            result = await new DatasetPublisher(store, outbox).PublishAsync(new DatasetPublication(folder, "arith", "v7"));
            Assert.Equal((0, false), await dispatcher.DispatchPendingAsync(CancellationToken.None));
            Assert.Equal(1, Assert.Single(await outbox.PendingAsync(10)).Attempts);
        }
        finally
        {
            await broker.StartAsync();
        }

        // The bus reconnects on its own schedule; retry the dispatch (bounded) until the outbox drains.
        await Eventually.TrueAsync(async () => (await dispatcher.DispatchPendingAsync(CancellationToken.None)).Drained, TimeSpan.FromSeconds(60), "the outbox to drain");
        var received = host.Get<ReceivedMessages>();
        await received.WaitForAsync(1, TimeSpan.FromSeconds(60));
        await host.StopAsync();
        var (message, messageId, _) = Assert.Single(received.Items);
        var sent = Assert.IsType<DatasetVersionPublished>(message);
        Assert.Equal(result.MessageId, messageId);
        Assert.Equal(("arith", "v7"), (sent.Dataset, sent.Version));

        // A consumer has only the event: the digest it carries must bring the folder back from S3.
        var digest = ArtifactDigest.Prefix + sent.ManifestSha256;
        Assert.Equal((await store.StatAsync(digest))!.Uri.AbsoluteUri, sent.ManifestUri);
        var restored = Path.Combine(_dir, "restored");
        await store.GetDirectoryAsync(digest, restored);
        DatasetFolders.AssertSameFiles(folder, restored);
        var found = await new DatasetPublisher(store, outbox).FindAsync("arith", "v7");
        Assert.Equal(result.Dataset, found! with { Properties = result.Dataset.Properties });
    }
}
