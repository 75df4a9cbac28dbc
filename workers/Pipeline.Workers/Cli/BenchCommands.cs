using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Pipeline.Durable.Storage;
using Pipeline.Workers.Bench;
using Spectre.Console;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline bench engine`: the workflow engine's throughput and latency on SQLite and PostgreSQL, with
/// pgbench on the same PostgreSQL as the commit-rate reference, all in one run. `pipeline bench gemm`: the training
/// engine's float32 gemm against OpenBLAS (through torch) on the same shapes, in the same run.</summary>
public static class BenchCommands
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks that print figures and their ratio to a reference measured in the same run");
        bench.Subcommands.Add(Engine());
        bench.Subcommands.Add(Gemm());
        foreach (var c in BenchMlCommands.Create()) bench.Subcommands.Add(c);
        bench.Subcommands.Add(BenchGrpoCommand.Create());
        return bench;
    }

    private static Command Engine()
    {
        var workflows = new Option<int>("--workflows") { Description = "Workflows per store", DefaultValueFactory = _ => 300 };
        var steps = new Option<int>("--steps") { Description = "Activity steps per workflow", DefaultValueFactory = _ => 10 };
        var pollers = new Option<int>("--pollers") { Description = "Workflow-task pollers (activity slots = 4×)", DefaultValueFactory = _ => 8 };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string (default: start a throwaway cluster with fsync on)" };
        var pgbenchSeconds = new Option<int>("--pgbench-seconds") { Description = "Length of the pgbench reference run", DefaultValueFactory = _ => 15 };
        var only = new Option<string?>("--only") { Description = "sqlite or postgres (default both)" };
        var json = new Option<string?>("--json") { Description = "Also write the figures to this JSON file", HelpName = "FILE" };
        var cmd = new Command("engine", "Workflow steps/s and schedule-to-start latency (p50/p99), SQLite and PostgreSQL, vs pgbench TPS")
        {
            workflows, steps, pollers, postgres, pgbenchSeconds, only, json,
        };
        cmd.SetAction(async (p, ct) =>
        {
            var (n, m, w) = (p.GetValue(workflows), p.GetValue(steps), p.GetValue(pollers));
            if (n < 1 || m < 1 || w < 1) throw new UsageException("--workflows, --steps and --pollers must be >= 1");
            var which = p.GetValue(only);
            if (which is not (null or "sqlite" or "postgres")) throw new UsageException("--only must be sqlite or postgres");
            void Progress(string line) => Console.Error.WriteLine($"[bench] {line}");
            var results = new List<EngineBenchResult>();
            double? tps = null;
            if (which is null or "sqlite")
            {
                var dir = Path.Combine(Path.GetTempPath(), "bench-sqlite-" + Guid.NewGuid().ToString("N"));
                await using var store = new SqliteWorkflowStore(Path.Combine(dir, "bench.db"));
                results.Add(await EngineBench.RunAsync(store, n, m, w, Progress, ct));
                Directory.Delete(dir, recursive: true);
            }
            if (which is null or "postgres")
            {
                await using var cluster = await BenchPostgres.StartAsync(p.GetValue(postgres), Progress, ct);
                await using (var store = new PostgresWorkflowStore(cluster.ConnectionString))
                    results.Add(await EngineBench.RunAsync(store, n, m, w, Progress, ct));
                tps = await PgBench.RunAsync(cluster.ConnectionString, PgBench.Clients, p.GetValue(pgbenchSeconds), Progress, ct);
            }
            Print(results, tps);
            if (p.GetValue(json) is { } file)
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { results, pgbenchTps = tps, machine = Machine() },
                    new JsonSerializerOptions { WriteIndented = true }), ct);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Gemm()
    {
        var threads = new Option<int>("--threads") { Description = "Threads for ours and for OpenBLAS", DefaultValueFactory = _ => 2 };
        var repeats = new Option<int>("--repeats") { Description = "Samples per shape and side (median reported)", DefaultValueFactory = _ => 7 };
        var sampleMs = new Option<int>("--sample-ms") { Description = "Minimum length of one sample (a loop of calls)", DefaultValueFactory = _ => 50 };
        var python = new Option<string>("--python") { Description = "Python with torch (its BLAS is the reference)", DefaultValueFactory = _ => "/usr/bin/python3" };
        var noReference = new Option<bool>("--no-reference") { Description = "Only our figures (no Python)" };
        var json = new Option<string?>("--json") { Description = "Also write the figures to this JSON file", HelpName = "FILE" };
        var cmd = new Command("gemm", "float32 gemm GFLOP/s, square and training shapes, vs OpenBLAS (torch.mm) in the same run")
        {
            threads, repeats, sampleMs, python, noReference, json,
        };
        cmd.SetAction(async (p, ct) =>
        {
            var (t, r, ms) = (p.GetValue(threads), p.GetValue(repeats), p.GetValue(sampleMs));
            if (t < 1 || r < 1 || ms < 1) throw new UsageException("--threads, --repeats and --sample-ms must be >= 1");
            void Progress(string line) => Console.Error.WriteLine($"[bench] {line}");
            var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
            await using var reference = p.GetValue(noReference) ? null
                : await TorchGemmReference.StartAsync(p.GetValue(python)!, FindScript("bench/torch_gemm.py"), t, ct);
            var results = await GemmBench.RunAsync(GemmBenchShape.Default, t, r, ms / 1000.0, reference, Progress, ct);
            var loadAfter = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
            PrintGemm(results, t, reference?.Info, $"load average before {load} · after {loadAfter}");
            if (p.GetValue(json) is { } file)
                await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new
                {
                    results, kernel = Pipeline.ML.Kernels.Gemm.Kernel.ToString(), threads = t,
                    blas = reference?.Info, machine = Machine()
                }, new JsonSerializerOptions { WriteIndented = true }), ct);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static void PrintGemm(List<GemmBenchResult> results, int threads, TorchGemmReference.BlasInfo? blas, string load)
    {
        var table = new Table().AddColumns("shape", "m×n×k", "op", "ours GFLOP/s", "OpenBLAS GFLOP/s", "ours/OpenBLAS", "best: ours", "OpenBLAS");
        foreach (var r in results)
        {
            var s = r.Shape;
            table.AddTextRow(s.Name, $"{s.M}×{s.N}×{s.K}", $"{(s.TransA ? "T" : "N")}{(s.TransB ? "T" : "N")}", $"{r.Ours:F1}",
                r.Blas is { } b ? $"{b:F1}" : "", r.Ratio is { } x ? $"{x:F2}×" : "", $"{r.OursBest:F1}", r.BlasBest is { } bb ? $"{bb:F1}" : "");
        }
        CliOutput.Render(table);
        Console.WriteLine($"ours: Pipeline.ML Gemm, {Pipeline.ML.Kernels.Gemm.Kernel} kernel, {threads} threads. Medians of alternating samples; 'best' is the fastest sample.");
        if (blas is not null)
            Console.WriteLine($"OpenBLAS: {blas.Config} (core {(blas.Core == "" ? "unknown: not OpenBLAS?" : blas.Core)}), {blas.Library}, torch {blas.Torch}, {blas.Threads} threads.");
        Console.WriteLine("Samples alternate, 20 ms apart so neither side's spinning idle threads steal the other's cores. OpenBLAS figures\n" +
            "include torch.mm's per-call overhead (~1 µs), a large share at the 64-sized shapes.");
        Console.WriteLine($"{load}: other processes skew both sides (OpenBLAS's OpenMP threads most); the 1-minute average lags.");
        Console.WriteLine(Machine());
    }

    /// <summary>A repository file, looked up from the working directory and from the executable upwards.</summary>
    private static string FindScript(string relative)
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, relative))) return Path.Combine(dir.FullName, relative);
        }
        throw new UsageException($"cannot find {relative} above {Directory.GetCurrentDirectory()} or {AppContext.BaseDirectory}");
    }

    private static void Print(List<EngineBenchResult> results, double? tps)
    {
        var table = new Table().AddColumns("store", "workflows×steps", "steps/s", "vs pgbench TPS",
            "load p50 ms", "load p99 ms", "idle p50 ms (queue)", "idle p99 ms (queue)");
        foreach (var r in results)
        {
            var ratio = tps is { } t && r.Store.StartsWith("postgres", StringComparison.Ordinal) ? $"{r.StepsPerSecond / t:F2}×" : "";
            table.AddTextRow(r.Store.Split(':')[0], $"{r.Workflows}×{r.Steps}", $"{r.StepsPerSecond:F0}", ratio,
                $"{Math.Max(0, r.LoadP50Ms):F1}", $"{Math.Max(0, r.LoadP99Ms):F1}", $"{Math.Max(0, r.IdleP50Ms):F1}", $"{Math.Max(0, r.IdleP99Ms):F1}");
        }
        CliOutput.Render(table);
        if (tps is { } x)
            Console.WriteLine($"pgbench (TPC-B-like, {PgBench.Clients} clients, same server, fsync on): {x:F0} TPS.\n" +
                "Targets: PostgreSQL steps/s >= 1/3 of pgbench TPS; idle p99 <= 20 ms. Latency is schedule-to-start from history\n" +
                "(ms resolution; clocks read at transaction start, so tiny negatives show as 0). Under load it is ~0 by design:\n" +
                "eager dispatch starts an activity in the commit that schedules it; 'idle (queue)' goes through queue + notification.");
        Console.WriteLine(Machine());
    }

    private static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{DateTime.UtcNow:yyyy-MM-dd} · {cpu ?? "unknown CPU"} · {Environment.ProcessorCount} cores · {Environment.OSVersion} · .NET {Environment.Version}";
    }
}
