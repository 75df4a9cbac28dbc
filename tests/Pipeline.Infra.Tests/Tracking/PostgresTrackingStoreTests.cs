using Pipeline.Durable.Tests.Support;
using Pipeline.Infra.Tracking;

namespace Pipeline.Infra.Tests.Tracking;

/// <summary>The same behaviour on a real PostgreSQL (a throwaway cluster, a fresh database per test).</summary>
public sealed class PostgresTrackingStoreTests : SqlTrackingStoreTests
{
    protected override async Task<SqlTrackingStore> OpenStoreAsync() =>
        await SqlTrackingStore.OpenPostgresAsync(await PostgresServer.CreateDatabaseAsync("tracking"));
}
