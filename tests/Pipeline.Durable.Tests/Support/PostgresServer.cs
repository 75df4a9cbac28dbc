using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;

namespace Pipeline.Durable.Tests.Support;

/// <summary>
/// One throwaway PostgreSQL cluster per test process, started lazily on first use by
/// <c>infra/services/postgres.sh</c> (with PG_FAST=1: no fsync) in a temp directory and
/// stopped when the process exits (or, if the process is killed, by the script's watcher).
/// Tests isolate themselves by asking for a fresh database each:
/// <c>var cs = await PostgresServer.CreateDatabaseAsync("store");</c>.
/// </summary>
public static class PostgresServer
{
    private const string DirPrefix = "pipeline-pg-";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(180);

    // Lazy<Task>: every caller awaits the same start; a failed start fails every caller
    // with the same message instead of retrying a broken setup once per test.
    private static readonly Lazy<Task<string>> Server = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Connection string of the cluster's maintenance database (<c>postgres</c>).</summary>
    public static Task<string> GetServerConnectionStringAsync() => Server.Value;

    /// <summary>Creates a new, uniquely named, empty database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix = "t")
    {
        var server = await Server.Value.ConfigureAwait(false);
        var name = DatabaseName(prefix);
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            // The name is sanitized to [a-z0-9_], so quoting it is safe. FILE_COPY (PostgreSQL 15+)
            // copies the small template directly instead of through the WAL: ~2.5x faster with fsync off.
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" STRATEGY = FILE_COPY", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static string DatabaseName(string prefix)
    {
        var clean = new StringBuilder();
        foreach (var c in prefix.ToLowerInvariant())
        {
            clean.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' ? c : '_');
        }

        // Identifiers must not start with a digit and are cut at 63 bytes: 30 + '_' + 32.
        if (clean.Length == 0 || char.IsDigit(clean[0]))
        {
            clean.Insert(0, 't');
        }

        var head = clean.Length > 30 ? clean.ToString(0, 30) : clean.ToString();
        return $"{head}_{Guid.NewGuid():N}";
    }

    private static async Task<string> StartAsync()
    {
        var script = Path.Combine(FindRepoRoot(), "infra", "services", "postgres.sh");

        // Short path on purpose: the unix socket path inside it is limited to 107 bytes.
        var dir = Path.Combine(Path.GetTempPath(), $"{DirPrefix}{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(dir);

        // Registered before starting, so a half-started cluster is cleaned up as well.
        // vstest may kill the test host before this handler finishes; the script's
        // PG_OWNER_PID watcher (set in RunScriptAsync) cleans up in that case.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAndDelete(script, dir);

        var (exitCode, stdout, stderr) = await RunScriptAsync(script, "start", dir).ConfigureAwait(false);
        var connectionString = stdout.Trim();
        if (exitCode != 0 || !connectionString.StartsWith("Host=", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"Could not start a throwaway PostgreSQL with '{script} start {dir}' (exit code {exitCode}). "
                + "Is PostgreSQL 15 installed? Run `infra/services/install.sh postgres` from the repository root."
                + $"{Environment.NewLine}--- stderr ---{Environment.NewLine}{stderr}"
                + $"{Environment.NewLine}--- stdout ---{Environment.NewLine}{stdout}");
        }

        return connectionString;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunScriptAsync(string script, string command, string dir)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add(command);
        info.ArgumentList.Add(dir);
        info.Environment["PG_FAST"] = "1";
        info.Environment["PG_OWNER_PID"] = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start bash.");
        process.StandardInput.Close();
        // Drain both pipes concurrently, or a chatty stderr could fill its pipe and stall the script.
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            var partial = await stderrTask.ConfigureAwait(false);
            throw new TimeoutException(
                $"'{script} {command} {dir}' did not finish within {ScriptTimeout.TotalSeconds} s. "
                + "Is PostgreSQL 15 installed? Run `infra/services/install.sh postgres` from the repository root."
                + $"{Environment.NewLine}--- stderr ---{Environment.NewLine}{partial}");
        }

        return (process.ExitCode, await stdoutTask.ConfigureAwait(false), await stderrTask.ConfigureAwait(false));
    }

    private static void StopAndDelete(string script, string dir)
    {
        // Runs at process exit: best effort, never throw.
        try
        {
            RunScriptAsync(script, "stop", dir).Wait(TimeSpan.FromSeconds(60));
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception)
        {
            // Best effort; the script's owner-process watcher removes whatever is left.
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var marker = File.Exists(Path.Combine(dir.FullName, "Pipeline.sln"))
                || File.Exists(Path.Combine(dir.FullName, "Pipeline.slnx"))
                || File.Exists(Path.Combine(dir.FullName, "global.json"));
            if (marker && File.Exists(Path.Combine(dir.FullName, "infra", "services", "postgres.sh")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Could not find the repository root (a directory with Pipeline.sln or global.json and "
            + $"infra/services/postgres.sh) above {AppContext.BaseDirectory}.");
    }
}
