namespace Pipeline.Workers.Bench;

/// <summary>Our engine's training figures for one (config, mode): median tokens/s over the timed steps, and memory —
/// PeakRssMb is the process's peak RSS during the run (VmHWM, as torch's ru_maxrss), BaselineRssMb the RSS before the
/// model was built, HeapMb the managed bytes the run holds (weights, gradients, AdamW moments, activations), and
/// AllocKbPerStep what a timed step allocated.</summary>
public sealed record TrainBenchResult(
    string Config, string Mode, long Params, long TrainableParams, int TokensPerStep, int WarmupSteps, int TimedSteps,
    double TokensPerSecond, double StepMsMedian, double StepMsMin, double StepMsMax,
    double PeakRssMb, double BaselineRssMb, double HeapMb, double AllocKbPerStep, double LossFirst, double LossLast);
