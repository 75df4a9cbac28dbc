using System.CommandLine;
using System.Text.Json;
using Pipeline.ML.Compute;
using Pipeline.Workers.Bench;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline bench train` and `pipeline bench generate`: the training engine side by side with PyTorch
/// (bench/torch_train_bench.py, same shapes, same thread count), both measured in the same run.</summary>
public static class BenchMlCommands
{
    public static IEnumerable<Command> Create() => [Train(), Generate(), Dpo(), BenchQLoraCommand.Create()];

    private static Command Train()
    {
        var config = new Option<string>("--config") { Description = "i, ii or both", DefaultValueFactory = _ => "both" };
        var steps = new Option<int>("--steps") { Description = "Timed steps per (config, mode)", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first", DefaultValueFactory = _ => 3 };
        var profile = new Option<bool>("--profile") { Description = "Also print where our step's time goes, per phase and op" };
        var shared = new SharedFlags();
        var cmd = new Command("train", "Training tokens/s and peak memory, full fine-tune and LoRA, vs PyTorch") { config, steps, warmup, profile };
        shared.AddTo(cmd);
        cmd.SetAction(async (p, ct) =>
        {
            var (n, w) = (p.GetValue(steps), p.GetValue(warmup));
            if (n < 1 || w < 0) throw new UsageException("--steps must be >= 1 and --warmup >= 0");
            var configs = Configs(p.GetValue(config)!);
            var run = shared.Start(p);
            var rows = new List<MlBenchTables.TrainRow>();
            foreach (var c in configs)
            {
                foreach (var mode in new[] { TrainBenchMode.Full, TrainBenchMode.Lora })
                {
                    var name = mode.ToString().ToLowerInvariant();
                    Progress($"({c.Name}) {c.ShapeText}, {name}: ours, {w} + {n} steps…");
                    var prof = p.GetValue(profile) ? new OpProfile() : null;
                    var ours = TrainBench.Run(c, mode, w, n, run.Seed, prof);
                    JsonElement? torch = null;
                    if (run.Torch is { } script)
                    {
                        Progress($"({c.Name}) {c.ShapeText}, {name}: torch…");
                        torch = await TorchBench.RunAsync(run.Python, script, c, name,
                            ["--steps", $"{n}", "--warmup", $"{w}", "--max-grad-norm", $"{TrainBench.MaxGradNorm}", "--threads", $"{run.Threads}"], ct);
                    }
                    rows.Add(new MlBenchTables.TrainRow(ours, torch));
                    if (prof is not null) MlBenchTables.PrintProfile(ours, prof);
                }
            }
            MlBenchTables.PrintTrain(rows);
            var machine = MlBenchTables.Machine(run.LoadBefore, run.Threads);
            Console.WriteLine(machine);
            await run.WriteJsonAsync(new { machine, threads = run.Threads, results = rows }, ct);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Generate()
    {
        var config = new Option<string>("--config") { Description = "i, ii or both", DefaultValueFactory = _ => "i" };
        var prompt = new Option<int>("--prompt") { Description = "Prompt tokens; decoding runs up to the context length", DefaultValueFactory = _ => 8 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs per case (median), on both sides", DefaultValueFactory = _ => 5 };
        var profile = new Option<bool>("--profile") { Description = "Also print where our decode's time goes, per op" };
        var shared = new SharedFlags();
        var cmd = new Command("generate", "Greedy decode tokens/s at batch 1 and 16, with and without the KV cache, vs PyTorch") { config, prompt, repeats, profile };
        shared.AddTo(cmd);
        cmd.SetAction(async (p, ct) =>
        {
            var (pr, r) = (p.GetValue(prompt), p.GetValue(repeats));
            var configs = Configs(p.GetValue(config)!);
            if (pr < 1 || configs.Any(c => pr >= c.Context) || r < 1)
                throw new UsageException("--prompt must be in [1, context) and --repeats >= 1");
            var run = shared.Start(p);
            var rows = new List<MlBenchTables.GenerateRow>();
            foreach (var c in configs)
            {
                Progress($"({c.Name}) {c.ShapeText}: ours, prompt {pr}, {c.Context - pr} new tokens…");
                var ours = GenerateBench.Run(c, [1, 16], pr, r, run.Seed, p.GetValue(profile));
                foreach (var o in ours.Where(o => o.Profile is not null)) MlBenchTables.PrintProfile(o, o.Profile!);
                JsonElement? torch = null;
                if (run.Torch is { } script)
                {
                    Progress($"({c.Name}) {c.ShapeText}: torch…");
                    torch = await TorchBench.RunAsync(run.Python, script, c, "generate",
                        ["--prompt", $"{pr}", "--gen-repeats", $"{r}", "--threads", $"{run.Threads}"], ct);
                }
                rows.AddRange(ours.Select(o => new MlBenchTables.GenerateRow(o, torch)));
            }
            MlBenchTables.PrintGenerate(rows);
            var machine = MlBenchTables.Machine(run.LoadBefore, run.Threads);
            Console.WriteLine(machine);
            await run.WriteJsonAsync(new { machine, threads = run.Threads, results = rows }, ct);
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Dpo()
    {
        var config = new Option<string>("--config") { Description = "i, ii or both", DefaultValueFactory = _ => "i" };
        var steps = new Option<int>("--steps") { Description = "Timed steps per trainer", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first", DefaultValueFactory = _ => 3 };
        var threads = new Option<int>("--threads") { Description = "Threads", DefaultValueFactory = _ => 2 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating SFT/DPO runs; each side's fastest counts", DefaultValueFactory = _ => 3 };
        var cmd = new Command("dpo", "DPO-step vs SFT-step tokens/s on the same model and rows, measured in the same run") { config, steps, warmup, threads, rounds };
        cmd.SetAction((p, ct) =>
        {
            var (n, w, t) = (p.GetValue(steps), p.GetValue(warmup), p.GetValue(threads));
            if (n < 1 || w < 1 || t < 1 || p.GetValue(rounds) < 1) throw new UsageException("--steps, --warmup, --threads and --rounds must be >= 1");
            CpuParallel.Threads = t;
            var load = MlBenchTables.LoadAverage();
            Console.WriteLine("| config | rows × T | SFT step tok/s | DPO step tok/s | DPO / SFT | reference pass s |");
            Console.WriteLine("|---|---|---|---|---|---|");
            foreach (var c in Configs(p.GetValue(config)!))
            {
                ct.ThrowIfCancellationRequested();
                Progress($"({c.Name}) {c.ShapeText}: SFT and DPO alternately, {p.GetValue(rounds)} × ({w} + {n}) steps each…");
                var r = DpoBench.Run(c, w, n, p.GetValue(rounds), seed: 0);
                Console.WriteLine(FormattableString.Invariant(
                    $"| ({r.Config}) {c.ShapeText} | {r.Rows} × {r.SeqLen} | {r.SftTokensPerSecond:N0} | {r.DpoTokensPerSecond:N0} | {r.Ratio:F2}× | {r.ReferenceSeconds:F2} |"));
            }
            Console.WriteLine(MlBenchTables.Machine(load, t));
            return Task.FromResult(ExitCodes.Ok);
        });
        return cmd;
    }

    private static MlBenchConfig[] Configs(string which) => which switch
    {
        "i" => [MlBenchConfig.Small],
        "ii" => [MlBenchConfig.Medium],
        "both" => [MlBenchConfig.Small, MlBenchConfig.Medium],
        _ => throw new UsageException($"--config must be i, ii or both, got '{which}'"),
    };

    private static void Progress(string line) => Console.Error.WriteLine($"[bench] {line}");

    /// <summary>The flags both commands take: threads, the torch side, the JSON file, the seed.</summary>
    private sealed class SharedFlags
    {
        private readonly Option<int> _threads = new("--threads") { Description = "Threads on both sides", DefaultValueFactory = _ => 2 };
        private readonly Option<bool> _noTorch = new("--no-torch") { Description = "Measure our engine only" };
        private readonly Option<string> _python = new("--python") { Description = "Python with torch", DefaultValueFactory = _ => "/usr/bin/python3" };
        private readonly Option<string?> _script = new("--torch-script") { Description = $"Default: {TorchBench.ScriptPath} under the current directory or a parent", HelpName = "FILE" };
        private readonly Option<string?> _json = new("--json") { Description = "Also write the figures to this JSON file", HelpName = "FILE" };
        private readonly Option<ulong> _seed = new("--seed") { DefaultValueFactory = _ => 0UL };

        public void AddTo(Command cmd)
        {
            foreach (var o in new Option[] { _threads, _noTorch, _python, _script, _json, _seed }) cmd.Options.Add(o);
        }

        public Run Start(ParseResult p)
        {
            var threads = p.GetValue(_threads);
            if (threads < 1) throw new UsageException("--threads must be >= 1");
            CpuParallel.Threads = threads;
            string? script = null;
            if (!p.GetValue(_noTorch))
            {
                script = p.GetValue(_script) ?? TorchBench.FindScript()
                    ?? throw new UsageException($"{TorchBench.ScriptPath} not found here or in a parent directory: run from the repository, pass --torch-script, or --no-torch");
            }
            return new Run(threads, script, p.GetValue(_python)!, p.GetValue(_seed), MlBenchTables.LoadAverage(), p.GetValue(_json));
        }
    }

    private sealed record Run(int Threads, string? Torch, string Python, ulong Seed, string LoadBefore, string? Json)
    {
        public Task WriteJsonAsync(object value, CancellationToken ct) => Json is null
            ? Task.CompletedTask
            : File.WriteAllTextAsync(Json, JsonSerializer.Serialize(value, CliOutput.JsonOptions), ct);
    }
}
