using Pipeline.Durable.Storage;

namespace Pipeline.Durable.Tests.Support;

/// <summary>A fresh, initialized store of either kind, so the same test runs against SQLite and PostgreSQL.</summary>
public static class TestStores
{
    // One folder per test process for the SQLite files, removed when the process exits.
    private static readonly Lazy<string> SqliteRoot = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), $"pipeline-durable-tests-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        };
        return dir;
    });

    /// <param name="kind">"sqlite" (a new temp file) or "postgres" (a new database on the test cluster).</param>
    public static async Task<IWorkflowStore> CreateAsync(string kind)
    {
        IWorkflowStore store = kind switch
        {
            "sqlite" => new SqliteWorkflowStore(Path.Combine(SqliteRoot.Value, $"{Guid.NewGuid():N}.db")),
            "postgres" => new PostgresWorkflowStore(await PostgresServer.CreateDatabaseAsync("durable")),
            _ => throw new ArgumentException($"unknown store kind '{kind}': use sqlite or postgres", nameof(kind)),
        };
        await store.InitializeAsync();
        return store;
    }

    /// <summary>A fresh PostgreSQL store and its database's connection string, for tests that also look at the
    /// server itself. <paramref name="settings"/> is appended to the store's connection string (";Options=-c …").</summary>
    public static async Task<(PostgresWorkflowStore Store, string ConnectionString)> CreatePostgresAsync(string settings = "")
    {
        var connectionString = await PostgresServer.CreateDatabaseAsync("durable");
        var store = new PostgresWorkflowStore(connectionString + settings);
        await store.InitializeAsync();
        return (store, connectionString);
    }
}
