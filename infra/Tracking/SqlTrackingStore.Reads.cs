using System.Data.Common;
using Dapper;

namespace Pipeline.Infra.Tracking;

// Reading runs whole (info, params, tags, latest metrics) and the search calls the audit UI reads through.
public sealed partial class SqlTrackingStore
{
    public async Task<IReadOnlyList<TrackedRun>> SearchRunsAsync(
        IReadOnlyList<string> experimentIds, string tagKey, string tagValue, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(experimentIds);
        ArgumentException.ThrowIfNullOrEmpty(tagKey);
        ArgumentNullException.ThrowIfNull(tagValue);
        if (experimentIds.Count == 0)
        {
            return [];
        }

        // One named parameter per id, not Dapper's list expansion: with Npgsql Dapper sends lists as arrays, which
        // "IN @ids" does not accept, and "= ANY(@ids)" is not SQLite.
        var args = new DynamicParameters(new { tagKey, tagValue });
        var names = new List<string>();
        for (var i = 0; i < experimentIds.Count; i++)
        {
            args.Add($"e{i}", experimentIds[i]);
            names.Add($"@e{i}");
        }

        var taggedRuns = "run_id IN (SELECT r.run_id FROM tracking_runs r JOIN tracking_tags t ON t.run_id = r.run_id "
            + $"WHERE r.experiment_id IN ({string.Join(", ", names)}) AND t.key = @tagKey AND t.value = @tagValue)";
        await using var conn = await _dialect.OpenAsync(ct);
        return await ReadRunsAsync(conn, taggedRuns, args, ct);
    }

    /// <summary>
    /// The runs matching <paramref name="runFilter"/> (SQL over a <c>run_id</c> column, built from constants only),
    /// oldest start first, in four queries whatever their number.
    /// </summary>
    private static async Task<List<TrackedRun>> ReadRunsAsync(DbConnection conn, string runFilter, object args, CancellationToken ct)
    {
        var infos = await conn.QueryAsync<(string RunId, string ExperimentId, string Name, string Status, long StartMs, long? EndMs)>(Cmd(
            $"SELECT run_id, experiment_id, name, status, start_ms, end_ms FROM tracking_runs WHERE {runFilter} ORDER BY start_ms, run_id",
            args, null, ct));
        var parameters = (await conn.QueryAsync<(string RunId, string Key, string Value)>(Cmd(
            $"SELECT run_id, key, value FROM tracking_params WHERE {runFilter}", args, null, ct))).ToLookup(p => p.RunId);
        var tags = (await conn.QueryAsync<(string RunId, string Key, string Value)>(Cmd(
            $"SELECT run_id, key, value FROM tracking_tags WHERE {runFilter}", args, null, ct))).ToLookup(t => t.RunId);
        // MLflow's latest metric: highest step, then latest timestamp, then largest value (its tie-break).
        var metrics = (await conn.QueryAsync<(string RunId, string Key, double Value)>(Cmd(
            "SELECT run_id, key, value FROM (SELECT run_id, key, value, ROW_NUMBER() OVER "
            + "(PARTITION BY run_id, key ORDER BY step DESC, timestamp_ms DESC, value DESC) AS rn "
            + $"FROM tracking_metrics WHERE {runFilter}) latest WHERE rn = 1",
            args, null, ct))).ToLookup(m => m.RunId);
        return [.. infos.Select(r => new TrackedRun(
            r.RunId, r.ExperimentId, r.Name, RunStatusNames.Parse(r.Status), FromMs(r.StartMs), r.EndMs is { } end ? FromMs(end) : null,
            parameters[r.RunId].ToDictionary(p => p.Key, p => p.Value),
            tags[r.RunId].ToDictionary(t => t.Key, t => t.Value),
            metrics[r.RunId].ToDictionary(m => m.Key, m => m.Value)))];
    }
}
