using System.Diagnostics;
using Pipeline.ML.Compute;
using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Optim;
using Pipeline.ML.Quantization;

namespace Pipeline.Workers.Bench;

/// <summary>
/// One variant of `pipeline bench qlora`, meant to run alone in its own process: the model of <see cref="TrainBench"/>
/// (random weights, AdamW, LoRA r 8 on all seven projections) with a float32 base, or the same base quantized to NF4
/// with double quantization. The peak RSS is reset after the model is built, so it covers the training steps (the
/// float32 weights an NF4 variant was quantized from are gone by then, as after a layer-by-layer 4-bit load).
/// </summary>
public static class QLoraBench
{
    public static QLoraBenchResult Run(MlBenchConfig config, bool nf4, int warmup, int steps, ulong seed)
    {
        var model = new LlamaModel(config.ToLlama());
        model.InitializeWeights(seed);
        if (nf4)
        {
            model.QuantizeBase(new Nf4Options());
        }
        var adapter = LoraAdapter.Create("bench", TrainBench.Lora, model.Config, seed + 1);
        model.AddAdapter(adapter);
        model.SetActiveAdapter(adapter.Name);
        adapter.SetTrainable(true);
        var optimizer = new AdamW(model.TrainableParameters, new AdamWOptions { LearningRate = TrainBench.LearningRate, WeightDecay = 0 });
        var rng = new Rng(seed + 2);
        var batches = Enumerable.Range(0, 4).Select(_ => TokenBatch.CausalLm(
            Enumerable.Range(0, config.Batch).Select(_ => Enumerable.Range(0, config.Context).Select(_ => rng.NextInt(config.Vocab)).ToArray()).ToList()))
            .ToArray();

        ProcessMemory.ResetPeak();
        var rssBefore = ProcessMemory.CurrentMb;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var acts = model.CreateActivations(config.Batch, config.Context);
        var losses = new List<double> { Step(model, optimizer, acts, batches[0]) };
        var activationBytes = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        var stepMs = new List<double>();
        for (var step = 1; step < warmup + steps; step++)
        {
            var start = Stopwatch.GetTimestamp();
            losses.Add(Step(model, optimizer, acts, batches[step % batches.Length]));
            if (step >= warmup)
            {
                stepMs.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }
        var peak = ProcessMemory.PeakMb;

        var projections = model.Layers.SelectMany(l => l.Projections).ToList();
        var projectionWeights = projections.Sum(p => (long)p.InFeatures * p.OutFeatures);
        var projectionBytes = projections.Sum(p => p.Quantized?.StorageBytes ?? 4L * p.Weight.Value.Length);
        var projectionNames = projections.Select(p => p.Name).ToHashSet();
        var adapterParameters = adapter.Parameters.Sum(p => (long)p.Value.Length);
        GC.KeepAlive(acts);
        return new QLoraBenchResult(config.Name, nf4 ? "nf4" : "float32", projectionWeights, projectionBytes,
            model.BaseParameters.Where(p => !projectionNames.Contains(p.Name)).Sum(p => 4L * p.Value.Length), 8.0 * projectionBytes / projectionWeights,
            adapterParameters, 4 * 4 * adapterParameters, activationBytes, Nf4Linear.ScratchBytes,
            TrainBench.Median(stepMs), stepMs.Min(), peak, rssBefore, losses[0], losses[^1]);
    }

    // zero grad + forward + loss + backward + clip + AdamW, as TrainBench's step.
    private static double Step(LlamaModel model, AdamW optimizer, LlamaActivations acts, TokenBatch batch)
    {
        model.ZeroGrad();
        model.Forward(batch, acts);
        var stats = model.Loss(batch, acts);
        model.Backward(batch, acts);
        GradientClipping.ClipByGlobalNorm(optimizer.Parameters, TrainBench.MaxGradNorm);
        optimizer.Update(TrainBench.LearningRate);
        return stats.LossSum / stats.Count;
    }
}
