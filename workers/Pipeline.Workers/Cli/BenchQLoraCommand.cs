using System.CommandLine;
using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Pipeline.ML.Compute;
using Pipeline.Workers.Bench;
using Spectre.Console;

namespace Pipeline.Workers.Cli;

/// <summary>
/// `pipeline bench qlora`: memory and step time of LoRA training on a float32 base vs an NF4 base (QLoRA), same model
/// config. Each variant runs in a child process of its own (this command with --variant), so its peak RSS is its own.
/// </summary>
public static class BenchQLoraCommand
{
    /// <summary>(iii): 8 layers, d_model 1024, ffn 2816, context 128, batch 2 — ~100M projection weights, where the
    /// base dominates a LoRA step's memory as it does for real QLoRA models.</summary>
    public static MlBenchConfig Large { get; } = new("iii", 128, 8, 1024, 16, 2816, 128, 2);

    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "i, ii, iii or all", DefaultValueFactory = _ => "all" };
        var steps = new Option<int>("--steps") { Description = "Timed steps per variant", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "CPU threads", DefaultValueFactory = _ => 2 };
        var json = new Option<string?>("--json") { Description = "Also write the figures to this JSON file", HelpName = "FILE" };
        var variant = new Option<string?>("--variant") { Description = "float32 or nf4: run that variant here and print its figures as JSON (what the parent runs)", Hidden = true };
        var cmd = new Command("qlora", "LoRA training memory and step time: float32 base vs NF4 base (QLoRA)") { config, steps, warmup, threads, json, variant };
        cmd.SetAction(async (p, ct) =>
        {
            var (n, w, t) = (p.GetValue(steps), p.GetValue(warmup), p.GetValue(threads));
            if (n < 1 || w < 0 || t < 1) throw new UsageException("--steps and --threads must be >= 1 and --warmup >= 0");
            var configs = Configs(p.GetValue(config)!);
            if (p.GetValue(variant) is { } v)
            {
                if (v is not ("float32" or "nf4") || configs.Length != 1) throw new UsageException("--variant is float32 or nf4, with one --config");
                CpuParallel.Threads = t;
                Console.WriteLine(JsonSerializer.Serialize(QLoraBench.Run(configs[0], v == "nf4", w, n, 0), CliOutput.JsonOptions));
                return ExitCodes.Ok;
            }
            var load = MlBenchTables.LoadAverage();
            var results = new List<QLoraBenchResult>();
            foreach (var c in configs)
            {
                foreach (var name in new[] { "float32", "nf4" })
                {
                    Console.Error.WriteLine($"[bench] ({c.Name}) {c.ShapeText}, LoRA on a {name} base: {w} + {n} steps in a child process…");
                    results.Add(await RunChildAsync(["bench", "qlora", "--config", c.Name, "--variant", name, "--steps", $"{n}", "--warmup", $"{w}", "--threads", $"{t}"], ct));
                }
            }
            Print(results);
            var machine = MlBenchTables.Machine(load, t).Replace(" each side", "", StringComparison.Ordinal);
            Console.WriteLine(machine);
            if (p.GetValue(json) is { } path)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { machine, threads = t, results }, CliOutput.JsonOptions), ct);
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static void Print(IReadOnlyList<QLoraBenchResult> rows)
    {
        static string Mb(long bytes) => $"{bytes / 1048576.0:F1}";
        var table = new Table().AddColumns("config", "base", "bits/param", "base proj. MB", "other weights MB", "adapter+grad+AdamW MB",
            "activations+scratch MB", "step total MB", "peak RSS MB", "ms/step (min)", "vs float32");
        foreach (var r in rows)
        {
            var reference = rows.First(x => x.Config == r.Config && x.Variant == "float32");
            table.AddTextRow(r.Config, r.Variant, $"{r.BitsPerParameter:F3}", Mb(r.ProjectionBytes), Mb(r.OtherBaseBytes), Mb(r.AdapterStateBytes),
                Mb(r.ActivationBytes), Mb(r.StepBytes), $"{r.PeakRssMb:F0}", $"{r.StepMs:F1} ({r.StepMsMin:F1})",
                r == reference ? "" : $"mem {(double)r.StepBytes / reference.StepBytes:F2}× RSS {r.PeakRssMb / reference.PeakRssMb:F2}× time {r.StepMs / reference.StepMs:F2}× ({r.StepMsMin / reference.StepMsMin:F2}×)");
        }
        CliOutput.Render(table);
        Console.WriteLine("LoRA r 8 on all seven projections, AdamW, clip 1.0. base proj.: the seven projections' weights (NF4: packed codes + int8\n" +
            "absmax + steps + mean). activations+scratch: managed-heap growth over the first step (activations, LoRA caches and, for NF4,\n" +
            "the 1 MiB dequantization panel). peak RSS: the child process's VmHWM over the steps (reset after the model is built;\n" +
            "includes the .NET runtime). ms/step: median (fastest step). Other load on the cores moves the times, not the bytes.");
    }

    private static async Task<QLoraBenchResult> RunChildAsync(string[] args, CancellationToken ct)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Under `dotnet pipeline.dll` the host is dotnet itself: the entry assembly goes first.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        foreach (var a in args) start.ArgumentList.Add(a);
        using var child = Process.Start(start)!;
        var stdout = child.StandardOutput.ReadToEndAsync(ct);
        var stderr = child.StandardError.ReadToEndAsync(ct);
        await child.WaitForExitAsync(ct);
        if (child.ExitCode != 0)
        {
            throw new InvalidOperationException($"bench child {string.Join(' ', args)} exited {child.ExitCode}: {await stderr}");
        }
        return JsonSerializer.Deserialize<QLoraBenchResult>(await stdout, CliOutput.JsonOptions)!;
    }

    private static MlBenchConfig[] Configs(string which) => which switch
    {
        "i" => [MlBenchConfig.Small],
        "ii" => [MlBenchConfig.Medium],
        "iii" => [Large],
        "all" => [MlBenchConfig.Small, MlBenchConfig.Medium, Large],
        _ => throw new UsageException($"--config must be i, ii, iii or all, got '{which}'"),
    };
}
