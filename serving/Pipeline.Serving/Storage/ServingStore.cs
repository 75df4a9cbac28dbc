using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Pipeline.Serving.Routing;

namespace Pipeline.Serving.Storage;

/// <summary>
/// The serving layer's SQLite file: experiment starts and one row per request, so A/B stats survive a restart of the
/// server. Each call opens a pooled connection; WAL lets stats reads run beside request writes.
/// </summary>
public sealed class ServingStore
{
    private readonly string _connectionString;
    private readonly TimeProvider _clock;

    private ServingStore(string path, TimeProvider clock)
    {
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString();
        _clock = clock;
    }

    public static ServingStore Open(string path, TimeProvider? clock = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var store = new ServingStore(path, clock ?? TimeProvider.System);
        using var conn = store.Connect();
        conn.Execute(ServingSchema.Sql);
        return store;
    }

    /// <summary>Starts the experiment, or changes only its weights when the variants, versions and salt are those
    /// of the running start (a ramp keeps one stats window); anything else ends the running start and begins a new one.</summary>
    public async Task<ExperimentRecord> PutExperimentAsync(ExperimentDefinition definition, CancellationToken ct = default)
    {
        definition.Validate();
        await using var conn = Connect();
        await using var tx = conn.BeginTransaction();
        var now = _clock.GetUtcNow();
        var active = await ActiveAsync(conn, tx, definition.Name);
        if (active is not null && SameArms(active.Definition, definition))
        {
            await conn.ExecuteAsync("UPDATE serving_experiments SET definition = @json WHERE id = @id",
                new { json = JsonSerializer.Serialize(definition), id = active.Id }, tx);
            tx.Commit();
            return active with { Definition = definition };
        }
        if (active is not null)
        {
            await EndAsync(conn, tx, active.Id, now);
        }
        var record = new ExperimentRecord($"exp-{Guid.NewGuid():N}", definition, now, null);
        await conn.ExecuteAsync(
            "INSERT INTO serving_experiments (id, name, definition, started_ms, ended_ms) VALUES (@Id, @name, @json, @ms, NULL)",
            new { record.Id, name = definition.Name, json = JsonSerializer.Serialize(definition), ms = now.ToUnixTimeMilliseconds() }, tx);
        tx.Commit();
        return record;
    }

    public async Task<ExperimentRecord?> GetActiveExperimentAsync(string name, CancellationToken ct = default)
    {
        await using var conn = Connect();
        return await ActiveAsync(conn, null, name);
    }

    /// <summary>The running start, else the most recent ended one (its stats stay readable after it ends).</summary>
    public async Task<ExperimentRecord?> GetLatestExperimentAsync(string name, CancellationToken ct = default)
    {
        await using var conn = Connect();
        var rows = await conn.QueryAsync<(string Id, string Definition, long StartedMs, long? EndedMs)>(
            "SELECT id, definition, started_ms, ended_ms FROM serving_experiments WHERE name = @name " +
            "ORDER BY ended_ms IS NULL DESC, started_ms DESC, rowid DESC LIMIT 1", new { name });
        return rows.Select(ToRecord).FirstOrDefault();
    }

    /// <summary>Ends the running start; false when none was running.</summary>
    public async Task<bool> EndExperimentAsync(string name, CancellationToken ct = default)
    {
        await using var conn = Connect();
        await using var tx = conn.BeginTransaction();
        var active = await ActiveAsync(conn, tx, name);
        if (active is null)
        {
            return false;
        }
        await EndAsync(conn, tx, active.Id, _clock.GetUtcNow());
        tx.Commit();
        return true;
    }

    public async Task<IReadOnlyList<string>> ExperimentNamesAsync(CancellationToken ct = default)
    {
        await using var conn = Connect();
        return [.. await conn.QueryAsync<string>("SELECT DISTINCT name FROM serving_experiments ORDER BY name")];
    }

    public async Task RecordRequestAsync(RequestRecord r, CancellationToken ct = default)
    {
        await using var conn = Connect();
        await conn.ExecuteAsync(
            "INSERT INTO serving_requests (response_id, created_ms, model_name, model_version, experiment_id, variant, user_id, " +
            "latency_ms, prompt_tokens, completion_tokens, error) VALUES (@ResponseId, @ms, @ModelName, @ModelVersion, " +
            "@ExperimentId, @Variant, @User, @LatencyMs, @PromptTokens, @CompletionTokens, @Error)",
            new { r.ResponseId, ms = r.CreatedAt.ToUnixTimeMilliseconds(), r.ModelName, r.ModelVersion, r.ExperimentId, r.Variant, r.User, r.LatencyMs, r.PromptTokens, r.CompletionTokens, r.Error });
    }

    /// <summary>Sets (or replaces) the response's feedback score in [0, 1]; false for an unknown response id.</summary>
    public async Task<bool> SetFeedbackAsync(string responseId, double score, CancellationToken ct = default)
    {
        await using var conn = Connect();
        return await conn.ExecuteAsync("UPDATE serving_requests SET feedback = @score WHERE response_id = @responseId",
            new { score, responseId }) == 1;
    }

    /// <summary>Per-variant stats of one experiment start, every variant of its definition listed even with no traffic.</summary>
    public async Task<ExperimentStats> GetStatsAsync(ExperimentRecord experiment, CancellationToken ct = default)
    {
        await using var conn = Connect();
        var rows = (await conn.QueryAsync<(string Variant, long? Version, double Latency, long Completion, string? Error, double? Feedback)>(
            "SELECT variant, model_version, latency_ms, completion_tokens, error, feedback FROM serving_requests WHERE experiment_id = @Id",
            new { experiment.Id })).ToList();
        var variants = experiment.Definition.Variants.Select(v => v.Variant).Union(rows.Select(r => r.Variant)).Select(name =>
        {
            var mine = rows.Where(r => r.Variant == name).ToList();
            var scores = mine.Where(r => r.Feedback is not null).Select(r => r.Feedback!.Value).ToList();
            var version = experiment.Definition.Variants.FirstOrDefault(v => v.Variant == name)?.ModelVersion ?? (int?)mine.FirstOrDefault().Version;
            return new VariantStats(name, version, mine.Count, mine.Count(r => r.Error is not null), scores.Count,
                scores.Count(s => s >= 0.5), scores.Count == 0 ? null : scores.Average(),
                LatencySummary.Of([.. mine.Where(r => r.Error is null).Select(r => r.Latency)]), mine.Sum(r => r.Completion));
        }).ToList();
        return new ExperimentStats(experiment.Definition.Name, experiment.Id, experiment.EndedAt is null, variants);
    }

    private SqliteConnection Connect()
    {
        var conn = new SqliteConnection(_connectionString);
        conn.Open();
        return conn;
    }

    private static bool SameArms(ExperimentDefinition a, ExperimentDefinition b) =>
        a.Salt == b.Salt && a.Variants.Select(v => (v.Variant, v.ModelVersion)).SequenceEqual(b.Variants.Select(v => (v.Variant, v.ModelVersion)));

    private static async Task<ExperimentRecord?> ActiveAsync(SqliteConnection conn, SqliteTransaction? tx, string name)
    {
        var rows = await conn.QueryAsync<(string Id, string Definition, long StartedMs, long? EndedMs)>(
            "SELECT id, definition, started_ms, ended_ms FROM serving_experiments WHERE name = @name AND ended_ms IS NULL", new { name }, tx);
        return rows.Select(ToRecord).FirstOrDefault();
    }

    private static Task EndAsync(SqliteConnection conn, SqliteTransaction tx, string id, DateTimeOffset now) =>
        conn.ExecuteAsync("UPDATE serving_experiments SET ended_ms = @ms WHERE id = @id", new { ms = now.ToUnixTimeMilliseconds(), id }, tx);

    private static ExperimentRecord ToRecord((string Id, string Definition, long StartedMs, long? EndedMs) r) => new(
        r.Id,
        JsonSerializer.Deserialize<ExperimentDefinition>(r.Definition)!,
        DateTimeOffset.FromUnixTimeMilliseconds(r.StartedMs),
        r.EndedMs is { } e ? DateTimeOffset.FromUnixTimeMilliseconds(e) : null);
}
