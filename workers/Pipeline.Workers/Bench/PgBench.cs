using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Pipeline.Workers.Bench;

/// <summary>pgbench's TPC-B-like run on the same server: the commit-rate reference for the engine's figures.</summary>
public static partial class PgBench
{
    /// <summary>Clients of the reference run: enough to keep both cores busy with group commit.</summary>
    public const int Clients = 8;

    public static async Task<double> RunAsync(string connectionString, int clients, int seconds, Action<string> progress, CancellationToken ct)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        var db = "pgbench_ref";
        await using (var conn = new NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync(ct);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {db}", conn);
            await drop.ExecuteNonQueryAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {db}", conn);
            await create.ExecuteNonQueryAsync(ct);
        }
        var common = $"-h {b.Host} -p {b.Port} -U {b.Username}";
        progress($"pgbench: initializing (scale 10) on {b.Host}:{b.Port}…");
        await RunPgBenchAsync($"-i -s 10 -q {common} {db}", b.Password, ct);
        progress($"pgbench: {clients} clients for {seconds} s…");
        var output = await RunPgBenchAsync($"-c {clients} -j {Math.Min(clients, Environment.ProcessorCount)} -T {seconds} -n {common} {db}", b.Password, ct);
        var m = TpsLine().Match(output);
        if (!m.Success) throw new InvalidOperationException("pgbench printed no 'tps =' line:\n" + output);
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static async Task<string> RunPgBenchAsync(string args, string? password, CancellationToken ct)
    {
        var exe = File.Exists("/usr/lib/postgresql/15/bin/pgbench") ? "/usr/lib/postgresql/15/bin/pgbench" : "pgbench";
        var psi = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["PGPASSWORD"] = password ?? "";
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start pgbench");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0) throw new InvalidOperationException($"pgbench {args} exited {p.ExitCode}:\n{await stderr}");
        return await stdout + await stderr;
    }

    [GeneratedRegex(@"tps = ([0-9.]+)")]
    private static partial Regex TpsLine();
}
