using System.Diagnostics;
using Pipeline.ML.Compute;
using Pipeline.ML.Data;
using Pipeline.ML.Models;
using Pipeline.ML.Training;

namespace Pipeline.Workers.Bench;

/// <summary>
/// `pipeline bench dpo`: a DPO step against an SFT step on the same model and the same rows, both through the real
/// trainers (<see cref="CausalLmTrainer"/>, <see cref="DpoTrainer"/>) with full weights. A DPO micro-batch of B/2 pairs
/// is B rows of T tokens (B/2 chosen, B/2 rejected: a prompt of T/2 tokens and a completion of T/2), the SFT batch B rows
/// of the same prompt + chosen completion with loss on the completion. Step time is the median gap between progress
/// callbacks after the warm-up steps, the best of alternating rounds; the reference pass (once per run, before the first DPO step) is timed apart.
/// </summary>
public static class DpoBench
{
    public sealed record Result(string Config, int Rows, int SeqLen, double SftTokensPerSecond, double DpoTokensPerSecond, double ReferenceSeconds)
    {
        public double Ratio => DpoTokensPerSecond / SftTokensPerSecond;
    }

    /// <summary>Alternates SFT and DPO runs <paramref name="rounds"/> times and keeps each side's fastest median: on a
    /// shared machine the least disturbed run is the best estimate of the step's own cost.</summary>
    public static Result Run(MlBenchConfig config, int warmup, int steps, int rounds, ulong seed)
    {
        var results = Enumerable.Range(0, rounds).Select(_ => RunOnce(config, warmup, steps, seed)).ToList();
        return results[0] with
        {
            SftTokensPerSecond = results.Max(r => r.SftTokensPerSecond),
            DpoTokensPerSecond = results.Max(r => r.DpoTokensPerSecond),
            ReferenceSeconds = results.Min(r => r.ReferenceSeconds),
        };
    }

    private static Result RunOnce(MlBenchConfig config, int warmup, int steps, ulong seed)
    {
        var rng = new Rng(seed + 2);
        var half = config.Context / 2;
        int[] Random(int n) => [.. Enumerable.Range(0, n).Select(_ => rng.NextInt(config.Vocab))];
        var pairs = Enumerable.Range(0, 4 * config.Batch).Select(i => new PreferenceExample(Random(half), Random(half), Random(half), i + 1)).ToList();
        var rows = pairs.Select(p => new TrainingRow(
            [.. p.Prompt, .. p.Chosen], [.. Enumerable.Repeat(ML.Ops.CrossEntropy.IgnoreIndex, half), .. p.Chosen])).ToList();
        var options = new TrainingOptions
        {
            MaxSteps = warmup + steps, BatchSize = config.Batch, LearningRate = TrainBench.LearningRate, WeightDecay = 0.1,
            MaxGradNorm = TrainBench.MaxGradNorm, LoggingSteps = int.MaxValue, Seed = seed,
        };
        var sftTimes = new StepTimes(warmup);
        new CausalLmTrainer(Model(config, seed), options, rows) { OnProgress = sftTimes.Record }.Train();

        var dpoTimes = new StepTimes(warmup);
        var dpo = new DpoTrainer(Model(config, seed), options with { BatchSize = config.Batch / 2 }, new DpoOptions(), pairs)
        {
            OnProgress = dpoTimes.Record,
        };
        var clock = Stopwatch.StartNew();
        dpo.Train();
        // Before the first callback: the reference pass and step 1, whose share is taken as one median step.
        var referenceSeconds = clock.Elapsed.TotalSeconds - dpoTimes.Total - dpoTimes.Median;
        var tokens = (double)config.Batch * config.Context;
        return new Result(config.Name, config.Batch, config.Context, tokens / sftTimes.Median, tokens / dpoTimes.Median, referenceSeconds);
    }

    private static LlamaModel Model(MlBenchConfig config, ulong seed)
    {
        var model = new LlamaModel(config.ToLlama());
        model.InitializeWeights(seed);
        model.SetBaseTrainable(true);
        return model;
    }

    /// <summary>Gaps between consecutive progress callbacks: one optimizer step each (the first gap runs from the first
    /// callback, so the first step, which includes the DPO reference pass, is never timed).</summary>
    private sealed class StepTimes(int warmup)
    {
        private readonly List<double> _seconds = [];
        private long _last;
        private int _seen;

        public double Total { get; private set; }

        public double Median => TrainBench.Median(_seconds);

        public void Record(TrainingProgress _)
        {
            var now = Stopwatch.GetTimestamp();
            if (_seen++ > 0)
            {
                var gap = Stopwatch.GetElapsedTime(_last, now).TotalSeconds;
                Total += gap;
                if (_seen > warmup)
                {
                    _seconds.Add(gap);
                }
            }
            _last = now;
        }
    }
}
