using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Pipeline.Infra.Bus;

/// <summary><see cref="IEventOutbox"/> in one SQLite file (WAL, so the CLI and the dispatcher can share it).</summary>
public sealed class SqliteEventOutbox : IEventOutbox
{
    private readonly string _connectionString;

    public SqliteEventOutbox(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null)
            Directory.CreateDirectory(dir);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            DefaultTimeout = 30,
            Pooling = false,
        }.ToString();
        using var connection = Open();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS outbox (
                sequence     INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id   TEXT    NOT NULL UNIQUE,
                type_name    TEXT    NOT NULL,
                json         TEXT    NOT NULL,
                enqueued_at  TEXT    NOT NULL,
                sent_at      TEXT    NULL,
                attempts     INTEGER NOT NULL DEFAULT 0,
                last_error   TEXT    NULL
            );
            CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (sequence) WHERE sent_at IS NULL;
            """);
    }

    public async Task<Guid> EnqueueAsync<T>(T message, CancellationToken cancellationToken = default)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(message);
        // The runtime type, so an event passed as a base type still round-trips as itself.
        var type = message.GetType();
        var id = Guid.NewGuid();
        await using var connection = Open();
        await using var tx = connection.BeginTransaction();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO outbox (message_id, type_name, json, enqueued_at)
            VALUES ($id, $type, $json, $at)
            """;
        cmd.Parameters.AddWithValue("$id", id.ToString());
        cmd.Parameters.AddWithValue("$type", $"{type.FullName}, {type.Assembly.GetName().Name}");
        cmd.Parameters.AddWithValue("$json", JsonSerializer.Serialize(message, type));
        cmd.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
        await cmd.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return id;
    }

    public async Task<IReadOnlyList<OutboxMessage>> PendingAsync(int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        await using var connection = Open();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT sequence, message_id, type_name, json, attempts FROM outbox
            WHERE sent_at IS NULL ORDER BY sequence LIMIT $max
            """;
        cmd.Parameters.AddWithValue("$max", max);
        var rows = new List<OutboxMessage>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxMessage(
                reader.GetInt64(0), Guid.Parse(reader.GetString(1)), reader.GetString(2), reader.GetString(3), reader.GetInt32(4)));
        }
        return rows;
    }

    public Task MarkSentAsync(long sequence, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE outbox SET sent_at = $at WHERE sequence = $seq",
            sequence, ("$at", DateTimeOffset.UtcNow.ToString("O")), cancellationToken);

    public Task RecordFailureAsync(long sequence, string error, CancellationToken cancellationToken = default) =>
        UpdateAsync("UPDATE outbox SET attempts = attempts + 1, last_error = $err WHERE sequence = $seq",
            sequence, ("$err", error), cancellationToken);

    private async Task UpdateAsync(string sql, long sequence, (string Name, string Value) extra, CancellationToken ct)
    {
        await using var connection = Open();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$seq", sequence);
        cmd.Parameters.AddWithValue(extra.Name, extra.Value);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
