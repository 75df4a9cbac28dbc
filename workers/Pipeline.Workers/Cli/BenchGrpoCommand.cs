using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Pipeline.ML.Compute;
using Pipeline.Workers.Bench;

namespace Pipeline.Workers.Cli;

/// <summary>
/// `pipeline bench grpo`: GRPO's rollout tokens/s and its optimisation step's tokens/s, against the SFT step's tokens/s
/// on the same model in the same run, with the ratios (the "GRPO rollout tokens/s vs the SFT step").
/// </summary>
public static class BenchGrpoCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "i, ii or both", DefaultValueFactory = _ => "i" };
        var prompt = new Option<int>("--prompt") { Description = "Prompt tokens; completions run to the context length", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "Timed steps (median) on each side", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first", DefaultValueFactory = _ => 3 };
        var beta = new Option<double>("--beta") { Description = "KL coefficient (> 0 adds the reference forward to the rollout)", DefaultValueFactory = _ => 0.0 };
        var threads = new Option<int>("--threads") { DefaultValueFactory = _ => 2 };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => 0UL };
        var json = new Option<string?>("--json") { Description = "Also write the figures to this JSON file", HelpName = "FILE" };
        var cmd = new Command("grpo", "GRPO rollout and update tokens/s vs the SFT step on the same model") { config, prompt, steps, warmup, beta, threads, seed, json };
        cmd.SetAction(async (p, ct) =>
        {
            var (n, w, t) = (p.GetValue(steps), p.GetValue(warmup), p.GetValue(threads));
            var configs = p.GetValue(config) switch
            {
                "i" => new[] { MlBenchConfig.Small },
                "ii" => [MlBenchConfig.Medium],
                "both" => [MlBenchConfig.Small, MlBenchConfig.Medium],
                var s => throw new UsageException($"--config must be i, ii or both, got '{s}'"),
            };
            if (n < 1 || w < 0 || t < 1 || configs.Any(c => p.GetValue(prompt) < 1 || p.GetValue(prompt) >= c.Context || c.Batch % GrpoBench.Generations != 0))
            {
                throw new UsageException("--steps and --threads must be >= 1, --warmup >= 0, --prompt in [1, context)");
            }
            CpuParallel.Threads = t;
            var loadBefore = MlBenchTables.LoadAverage();
            var results = new List<GrpoBenchResult>();
            foreach (var c in configs)
            {
                Console.Error.WriteLine($"[bench] ({c.Name}) {c.ShapeText}: SFT step, {w} + {n} steps…");
                var sft = TrainBench.Run(c, TrainBenchMode.Full, w, n, p.GetValue(seed));
                Console.Error.WriteLine($"[bench] ({c.Name}) {c.ShapeText}: GRPO, {w} + {n} steps…");
                results.Add(GrpoBench.Run(c, p.GetValue(prompt), w, n, p.GetValue(beta), p.GetValue(seed)) with { SftTokensPerSecond = sft.TokensPerSecond });
            }
            Console.WriteLine("config  G  prompts/step  prompt+completion  beta  rollout tok/s  GRPO step tok/s  SFT step tok/s  rollout/SFT  step/SFT");
            foreach (var r in results)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Config,-6}  {r.Generations}  {r.PromptsPerStep,12}  {r.PromptTokens,6} + {r.MaxCompletionTokens,-8}  {r.Beta,4:G3}  {r.RolloutTokensPerSecond,13:F0}  {r.UpdateTokensPerSecond,15:F0}  {r.SftTokensPerSecond,14:F0}  {r.RolloutVsSft,10:F3}×  {r.UpdateVsSft,7:F2}×"));
            }
            var machine = MlBenchTables.Machine(loadBefore, t);
            Console.WriteLine(machine);
            if (p.GetValue(json) is { } path)
            {
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { machine, threads = t, results }, CliOutput.JsonOptions), ct);
            }
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
