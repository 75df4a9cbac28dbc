using Microsoft.Data.Sqlite;
using Pipeline.Infra.Tracking;

namespace Pipeline.Infra.Tests.Tracking;

/// <summary>The embedded store on a temp SQLite file, plus the schema checks that only need one database.</summary>
public sealed class SqliteTrackingStoreTests : SqlTrackingStoreTests, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-tracking-").FullName;

    private string DbPath => Path.Combine(_dir, "pipeline.db");

    protected override Task<SqlTrackingStore> OpenStoreAsync() => SqlTrackingStore.OpenSqliteAsync(DbPath);

    [Fact]
    public async Task Open_Twice_SchemaCreationIsIdempotentAndKeepsData()
    {
        var (store, runId) = await NewRunAsync();
        await store.LogParamAsync(runId, "lr", "1e-4");
        var reopened = await OpenStoreAsync();
        Assert.Equal("1e-4", (await reopened.GetRunAsync(runId)).Params["lr"]);
    }

    [Fact]
    public async Task Open_NewDatabase_CreatesOnlyTablesPrefixedTracking()
    {
        await OpenStoreAsync();
        await using var conn = new SqliteConnection($"Data Source={DbPath}");
        await conn.OpenAsync();
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite_%'";
        var names = new List<string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        Assert.NotEmpty(names);
        Assert.All(names, n => Assert.StartsWith("tracking_", n, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
