using Npgsql;

namespace Pipeline.Durable.Storage;

/// <summary>The server store: PostgreSQL, for many worker processes on many machines. Tasks are leased with
/// FOR UPDATE SKIP LOCKED; workers are woken by LISTEN/NOTIFY, so they learn of new tasks within milliseconds.</summary>
public sealed class PostgresWorkflowStore : SqlWorkflowStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _listenLock = new();
    private Task? _listener;

    public PostgresWorkflowStore(string connectionString) : this(NpgsqlDataSource.Create(Tune(connectionString))) { }

    /// <summary>Connection settings for a busy engine, unless the caller chose otherwise: the same few statements run
    /// over and over, so Npgsql prepares them server-side (parsed and planned once per connection).</summary>
    private static string Tune(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)) b.MaxAutoPrepare = 64;
        // The engine never changes session state, so a pooled connection needs no reset between transactions.
        if (!connectionString.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase)) b.NoResetOnClose = true;
        return b.ConnectionString;
    }

    private PostgresWorkflowStore(NpgsqlDataSource dataSource) : base(new PostgresDialect(dataSource), new Notifier())
    {
        _dataSource = dataSource;
        var b = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        Description = $"postgres:{b.Host}:{b.Port}/{b.Database}";
    }

    public override string Description { get; }

    public override TimeSpan PollFallbackInterval => TimeSpan.FromSeconds(2);

    public override Task NextTaskSignal(string taskQueue, TaskKind kind)
    {
        EnsureListening();
        return base.NextTaskSignal(taskQueue, kind);
    }

    public override Task NextRunSignal(string runId)
    {
        EnsureListening();
        return base.NextRunSignal(runId);
    }

    public override Task NextMaintenanceSignal()
    {
        EnsureListening();
        return base.NextMaintenanceSignal();
    }

    private void EnsureListening()
    {
        if (_listener is not null) return;
        lock (_listenLock) _listener ??= Task.Run(() => ListenAsync(_stop.Token));
    }

    /// <summary>One connection per store LISTENs and turns notifications into in-process wake-ups. After a lost
    /// connection every waiter is woken, since notifications sent meanwhile are gone.</summary>
    private async Task ListenAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var conn = await _dataSource.OpenConnectionAsync(ct);
                conn.Notification += (_, e) => Local.Pulse(e.Payload);
                await using (var cmd = new NpgsqlCommand($"LISTEN {PostgresDialect.Channel}", conn))
                    await cmd.ExecuteNonQueryAsync(ct);
                Local.PulseAll();
                while (!ct.IsCancellationRequested) await conn.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                Local.PulseAll();
                try { await Task.Delay(TimeSpan.FromSeconds(1), ct); } catch (OperationCanceledException) { return; }
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_listener is not null)
        {
            try { await _listener; } catch (OperationCanceledException) { }
        }
        await _dataSource.DisposeAsync();
    }
}
