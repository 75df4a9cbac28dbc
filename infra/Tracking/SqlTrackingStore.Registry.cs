using System.Data.Common;
using Dapper;

namespace Pipeline.Infra.Tracking;

// The model registry: registered models, numbered versions and aliases.
public sealed partial class SqlTrackingStore
{
    private const int VersionRetries = 5;

    public async Task<RegisteredModel> CreateRegisteredModelAsync(string name, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        await InTransactionAsync((conn, tx) => conn.ExecuteAsync(Cmd(
            "INSERT INTO tracking_registered_models (name, created_ms) VALUES (@name, @now) ON CONFLICT (name) DO NOTHING",
            new { name, now = NowMs() }, tx, ct)), ct);
        return await GetRegisteredModelAsync(name, ct) ?? throw new InvalidOperationException($"Model '{name}' vanished.");
    }

    public async Task<RegisteredModel?> GetRegisteredModelAsync(string name, CancellationToken ct = default)
    {
        await using var conn = await _dialect.OpenAsync(ct);
        var models = await ReadModelsAsync(conn, "name = @name", new { name }, ct);
        return models.SingleOrDefault();
    }

    public async Task<IReadOnlyList<RegisteredModel>> SearchRegisteredModelsAsync(CancellationToken ct = default)
    {
        await using var conn = await _dialect.OpenAsync(ct);
        return await ReadModelsAsync(conn, "1 = 1", null, ct);
    }

    public async Task<IReadOnlyList<ModelVersion>> SearchModelVersionsAsync(string modelName, CancellationToken ct = default)
    {
        await using var conn = await _dialect.OpenAsync(ct);
        var rows = await conn.QueryAsync<(long Version, string Source, string? RunId, long CreatedMs)>(Cmd(
            "SELECT version, source, run_id, created_ms FROM tracking_model_versions WHERE model_name = @modelName ORDER BY version",
            new { modelName }, null, ct));
        return [.. rows.Select(r => new ModelVersion(modelName, checked((int)r.Version), r.Source, r.RunId, FromMs(r.CreatedMs)))];
    }

    public async Task<ModelVersion> CreateModelVersionAsync(string modelName, string source, string? runId, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(source);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await InTransactionAsync(async (conn, tx) =>
                {
                    var models = await conn.ExecuteScalarAsync<int>(Cmd(
                        "SELECT COUNT(*) FROM tracking_registered_models WHERE name = @modelName", new { modelName }, tx, ct));
                    if (models == 0)
                    {
                        throw new TrackingException(TrackingException.ResourceDoesNotExist, $"No registered model named '{modelName}'.");
                    }

                    var version = await conn.ExecuteScalarAsync<long>(Cmd(
                        "SELECT COALESCE(MAX(version), 0) + 1 FROM tracking_model_versions WHERE model_name = @modelName",
                        new { modelName }, tx, ct));
                    var now = NowMs();
                    await conn.ExecuteAsync(Cmd(
                        "INSERT INTO tracking_model_versions (model_name, version, source, run_id, created_ms) "
                        + "VALUES (@modelName, @version, @source, @runId, @now)",
                        new { modelName, version, source, runId, now }, tx, ct));
                    return new ModelVersion(modelName, checked((int)version), source, runId, FromMs(now));
                }, ct);
            }
            catch (DbException e) when (_dialect.IsUniqueViolation(e) && attempt < VersionRetries)
            {
                // A concurrent registration took this number (PostgreSQL, read committed): take the next one.
            }
        }
    }

    public async Task SetAliasAsync(string modelName, string alias, int version, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(alias);
        await InTransactionAsync(async (conn, tx) =>
        {
            var found = await conn.ExecuteScalarAsync<int>(Cmd(
                "SELECT COUNT(*) FROM tracking_model_versions WHERE model_name = @modelName AND version = @version",
                new { modelName, version = (long)version }, tx, ct));
            if (found == 0)
            {
                throw new TrackingException(
                    TrackingException.ResourceDoesNotExist, $"Model '{modelName}' has no version {version} to alias as '{alias}'.");
            }

            return await conn.ExecuteAsync(Cmd(
                "INSERT INTO tracking_model_aliases (model_name, alias, version) VALUES (@modelName, @alias, @version) "
                + "ON CONFLICT (model_name, alias) DO UPDATE SET version = excluded.version",
                new { modelName, alias, version = (long)version }, tx, ct));
        }, ct);
    }

    public async Task<ModelVersion?> GetModelVersionAsync(string modelName, int version, CancellationToken ct = default)
    {
        await using var conn = await _dialect.OpenAsync(ct);
        var rows = await conn.QueryAsync<(long Version, string Source, string? RunId, long CreatedMs)>(Cmd(
            "SELECT version, source, run_id, created_ms FROM tracking_model_versions WHERE model_name = @modelName AND version = @version",
            new { modelName, version = (long)version }, null, ct));
        return rows.Select(r => new ModelVersion(modelName, checked((int)r.Version), r.Source, r.RunId, FromMs(r.CreatedMs)))
            .FirstOrDefault();
    }

    public async Task<ModelVersion?> GetVersionByAliasAsync(string modelName, string alias, CancellationToken ct = default)
    {
        await using var conn = await _dialect.OpenAsync(ct);
        var rows = await conn.QueryAsync<(long Version, string Source, string? RunId, long CreatedMs)>(Cmd(
            "SELECT v.version, v.source, v.run_id, v.created_ms FROM tracking_model_aliases a "
            + "JOIN tracking_model_versions v ON v.model_name = a.model_name AND v.version = a.version "
            + "WHERE a.model_name = @modelName AND a.alias = @alias",
            new { modelName, alias }, null, ct));
        return rows.Select(r => new ModelVersion(modelName, checked((int)r.Version), r.Source, r.RunId, FromMs(r.CreatedMs)))
            .FirstOrDefault();
    }

    public Task DeleteAliasAsync(string modelName, string alias, CancellationToken ct = default) =>
        InTransactionAsync((conn, tx) => conn.ExecuteAsync(Cmd(
            "DELETE FROM tracking_model_aliases WHERE model_name = @modelName AND alias = @alias",
            new { modelName, alias }, tx, ct)), ct);

    /// <summary>The models matching <paramref name="nameFilter"/> (SQL over a <c>name</c> column, constants only) with
    /// their aliases, by name. Sorted here, not in SQL: PostgreSQL's collation would order names unlike SQLite's.</summary>
    private static async Task<List<RegisteredModel>> ReadModelsAsync(DbConnection conn, string nameFilter, object? args, CancellationToken ct)
    {
        var models = await conn.QueryAsync<(string Name, long CreatedMs)>(Cmd(
            $"SELECT name, created_ms FROM tracking_registered_models WHERE {nameFilter}", args, null, ct));
        var aliases = (await conn.QueryAsync<(string Name, string Alias, long Version)>(Cmd(
            "SELECT model_name AS name, alias, version FROM tracking_model_aliases WHERE model_name IN "
            + $"(SELECT name FROM tracking_registered_models WHERE {nameFilter})", args, null, ct))).ToLookup(a => a.Name);
        return [.. models.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => new RegisteredModel(
            m.Name, FromMs(m.CreatedMs), aliases[m.Name].ToDictionary(a => a.Alias, a => checked((int)a.Version))))];
    }
}
