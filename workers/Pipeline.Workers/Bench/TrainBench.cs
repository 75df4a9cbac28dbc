using System.Diagnostics;
using Pipeline.ML.Compute;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Optim;

namespace Pipeline.Workers.Bench;

/// <summary>
/// Our side of `pipeline bench train`, shaped like bench/torch_train_bench.py's train(): random weights, eight
/// random token batches used in turn, AdamW (lr 3e-4; weight decay 0.1 full, 0 LoRA), warm-up steps, then each step
/// timed: zero grad + forward + loss + backward + global-norm clip (1.0) + AdamW update.
/// </summary>
public static class TrainBench
{
    public const double LearningRate = 3e-4;
    public const double MaxGradNorm = 1.0;

    /// <summary>LoRA as the torch side runs it: r 8, α 16, no dropout, all seven projections.</summary>
    public static LoraConfig Lora { get; } = new() { R = 8, Alpha = 16, Targets = LoraTarget.All };

    public static TrainBenchResult Run(MlBenchConfig config, TrainBenchMode mode, int warmup, int steps, ulong seed, OpProfile? profile = null)
    {
        ProcessMemory.ResetPeak();
        var baselineMb = ProcessMemory.CurrentMb;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);

        ITensorOps ops = profile is null ? CpuTensorOps.Instance : new ProfilingTensorOps(CpuTensorOps.Instance, profile);
        var model = new LlamaModel(config.ToLlama(), ops);
        model.InitializeWeights(seed);
        if (mode == TrainBenchMode.Lora)
        {
            var adapter = LoraAdapter.Create("bench", Lora, model.Config, seed + 1);
            model.AddAdapter(adapter);
            model.SetActiveAdapter(adapter.Name);
            adapter.SetTrainable(true);
        }
        else
        {
            model.SetBaseTrainable(true);
        }
        var optimizer = new AdamW(model.TrainableParameters,
            new AdamWOptions { LearningRate = LearningRate, WeightDecay = mode == TrainBenchMode.Lora ? 0 : 0.1 });
        var acts = model.CreateActivations(config.Batch, config.Context);
        var rng = new Rng(seed + 2);
        var batches = Enumerable.Range(0, 8).Select(_ => TokenBatch.CausalLm(
            Enumerable.Range(0, config.Batch).Select(_ => Enumerable.Range(0, config.Context).Select(_ => rng.NextInt(config.Vocab)).ToArray()).ToList()))
            .ToArray();

        var stepMs = new List<double>();
        var losses = new List<double>();
        long allocated = 0;
        for (var step = 0; step < warmup + steps; step++)
        {
            if (step == warmup)
            {
                profile?.Clear();
                allocated = GC.GetTotalAllocatedBytes(precise: true);
            }
            var start = Stopwatch.GetTimestamp();
            losses.Add(Step(model, optimizer, acts, batches[step % batches.Length], profile));
            if (step >= warmup)
            {
                stepMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var peakMb = ProcessMemory.PeakMb;
        var heapMb = (GC.GetTotalMemory(forceFullCollection: true) - heapBefore) / 1048576.0;
        GC.KeepAlive(model);

        var median = Median(stepMs);
        return new TrainBenchResult(config.Name, mode.ToString().ToLowerInvariant(), model.Config.ParameterCount,
            optimizer.Parameters.Sum(p => (long)p.Value.Length), config.TokensPerStep, warmup, steps,
            config.TokensPerStep / (median / 1000), median, stepMs.Min(), stepMs.Max(),
            peakMb, baselineMb, heapMb, allocated / 1024.0 / steps, losses[0], losses[^1]);
    }

    // One optimizer update on one batch, as CausalLmTrainer.TrainStep does it without accumulation; returns the mean loss.
    private static double Step(LlamaModel model, AdamW optimizer, LlamaActivations acts, TokenBatch batch, OpProfile? profile)
    {
        var t = Stopwatch.GetTimestamp();
        model.ZeroGrad();
        profile?.Phase("zero grad", t);
        t = Stopwatch.GetTimestamp();
        model.Forward(batch, acts);
        profile?.Phase("forward", t);
        t = Stopwatch.GetTimestamp();
        var stats = model.Loss(batch, acts);
        profile?.Phase("loss", t);
        t = Stopwatch.GetTimestamp();
        model.Backward(batch, acts);
        profile?.Phase("backward", t);
        t = Stopwatch.GetTimestamp();
        GradientClipping.ClipByGlobalNorm(optimizer.Parameters, MaxGradNorm);
        profile?.Phase("clip", t);
        t = Stopwatch.GetTimestamp();
        optimizer.Update(LearningRate);
        profile?.Phase("adamw", t);
        return stats.LossSum / stats.Count;
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
