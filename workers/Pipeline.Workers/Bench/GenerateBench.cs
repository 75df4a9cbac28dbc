using System.Diagnostics;
using Pipeline.ML.Compute;
using Pipeline.ML.Generation;
using Pipeline.ML.Models;

namespace Pipeline.Workers.Bench;

/// <summary>
/// Our side of `pipeline bench generate`, matching torch_train_bench.py's generate mode: random weights, a random
/// prompt of <c>prompt</c> tokens per row, greedy decoding up to the context length (context − prompt new tokens),
/// with the KV cache and without (recomputing the whole sequence each step); warm-up runs, then the median of
/// <c>repeats</c> timed runs.
/// </summary>
public static class GenerateBench
{
    public static IReadOnlyList<GenerateBenchResult> Run(MlBenchConfig config, int[] batches, int prompt, int repeats, ulong seed, bool profile = false)
    {
        var rng = new Rng(seed + 3);
        var results = new List<GenerateBenchResult>();
        foreach (var batch in batches)
        {
            var prompts = Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, prompt).Select(_ => rng.NextInt(config.Vocab)).ToArray()).ToList();
            var cached = Decode(config, prompts, useCache: true, repeats, seed, profile);
            var uncached = Decode(config, prompts, useCache: false, repeats, seed, profile);
            var match = cached.Tokens.Zip(uncached.Tokens).All(p => p.First.SequenceEqual(p.Second));
            results.Add(cached.Result with { MatchesOtherPath = match });
            results.Add(uncached.Result with { MatchesOtherPath = match });
        }
        return results;
    }

    private static (GenerateBenchResult Result, int[][] Tokens) Decode(
        MlBenchConfig config, List<int[]> prompts, bool useCache, int repeats, ulong seed, bool profile)
    {
        var opProfile = profile ? new OpProfile() : null;
        var model = new LlamaModel(config.ToLlama(), opProfile is null ? null : new ProfilingTensorOps(CpuTensorOps.Instance, opProfile));
        model.InitializeWeights(seed);
        var generator = new Generator(model);
        var newTokens = config.Context - prompts[0].Length;
        var options = new GenerationOptions { MaxNewTokens = newTokens, UseCache = useCache };
        // Warm-up: at least three decodes and one second, not torch's single decode. Tiered JIT swaps in optimised
        // code after ~30 calls and a 100 ms quiet period, in the background; a short warm-up left that swap inside
        // the timed runs (batch-1 medians 4× apart from one process to the next).
        var warm = Stopwatch.StartNew();
        for (var w = 0; w < 3 || warm.Elapsed < TimeSpan.FromSeconds(1); w++)
        {
            generator.Generate(prompts, options);
        }
        opProfile?.Clear();
        var seconds = new List<double>();
        int[][] tokens = [];
        for (var r = 0; r < repeats; r++)
        {
            var start = Stopwatch.GetTimestamp();
            tokens = generator.Generate(prompts, options).Select(g => g.Tokens).ToArray();
            seconds.Add(Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        var rate = prompts.Count * newTokens / TrainBench.Median(seconds);
        var best = prompts.Count * newTokens / seconds.Min();
        var result = new GenerateBenchResult(config.Name, prompts.Count, useCache, prompts[0].Length, newTokens, repeats, rate, best, true)
        {
            Profile = opProfile,
        };
        return (result, tokens);
    }
}
