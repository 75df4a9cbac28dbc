using System.Diagnostics;

namespace Pipeline.Workers.Bench;

/// <summary>The PostgreSQL a benchmark runs on: the one given, or a throwaway cluster started (fsync on, so the
/// figures are honest) by infra/services/postgres.sh and stopped afterwards.</summary>
public sealed class BenchPostgres : IAsyncDisposable
{
    private readonly string? _dir;
    private readonly string? _script;

    private BenchPostgres(string connectionString, string? dir, string? script) =>
        (ConnectionString, _dir, _script) = (connectionString, dir, script);

    public string ConnectionString { get; }

    public static async Task<BenchPostgres> StartAsync(string? given, Action<string> progress, CancellationToken ct)
    {
        if (given is not null) return new BenchPostgres(given, null, null);
        var script = FindScript();
        var dir = Path.Combine(Path.GetTempPath(), "bench-pg-" + Guid.NewGuid().ToString("N"));
        progress($"starting a throwaway PostgreSQL in {dir} (fsync on)…");
        var cs = (await RunAsync(script, ["start", dir], ct)).Trim();
        return new BenchPostgres(cs, dir, script);
    }

    private static string FindScript()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            var s = Path.Combine(d.FullName, "infra", "services", "postgres.sh");
            if (File.Exists(s)) return s;
        }
        throw new InvalidOperationException("infra/services/postgres.sh not found above " + AppContext.BaseDirectory +
            "; pass --postgres CONNECTION-STRING instead");
    }

    private static async Task<string> RunAsync(string script, string[] args, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Remove("PG_FAST");
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        if (p.ExitCode != 0) throw new InvalidOperationException($"postgres.sh {string.Join(' ', args)} failed:\n{await stderr}");
        return await stdout;
    }

    public async ValueTask DisposeAsync()
    {
        if (_dir is null || _script is null) return;
        await RunAsync(_script, ["stop", _dir], CancellationToken.None);
        try { Directory.Delete(_dir, recursive: true); } catch (Exception) { }
    }
}
