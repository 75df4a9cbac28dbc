using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Pipeline.Durable.Storage;

/// <summary>The embedded store: one SQLite file, zero set-up. Several processes may share the file (WAL mode);
/// workers in the same process are woken at once, other processes within <see cref="PollFallbackInterval"/>.</summary>
public sealed class SqliteWorkflowStore : SqlWorkflowStore
{
    // One notifier per database file, so every store object on the same file in a process wakes the others.
    private static readonly ConcurrentDictionary<string, Notifier> Notifiers = new();

    public SqliteWorkflowStore(string path)
        : base(new SqliteDialect(ConnectionString(path)), Notifiers.GetOrAdd(Path.GetFullPath(path), _ => new Notifier()))
    {
        FilePath = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(FilePath);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
    }

    public string FilePath { get; }

    public override string Description => "sqlite:" + FilePath;

    public override TimeSpan PollFallbackInterval => TimeSpan.FromMilliseconds(200);

    private static string ConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = Path.GetFullPath(path),
        Pooling = true,
        DefaultTimeout = 60,
    }.ToString();
}
