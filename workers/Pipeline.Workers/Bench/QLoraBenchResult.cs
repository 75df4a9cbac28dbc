namespace Pipeline.Workers.Bench;

/// <summary>One variant of `pipeline bench qlora` (float32 base + LoRA, or NF4 base + LoRA) on one config. Bytes are
/// counted from the tensors the step holds; the RSS figures are the variant's own child process.</summary>
public sealed record QLoraBenchResult(
    string Config, string Variant, long ProjectionWeights, long ProjectionBytes, long OtherBaseBytes, double BitsPerParameter,
    long AdapterParameters, long AdapterStateBytes, long ActivationBytes, long Nf4ScratchBytes,
    double StepMs, double StepMsMin, double PeakRssMb, double RssBeforeStepsMb, double FirstLoss, double LastLoss)
{
    /// <summary>Weights + adapter (values, gradients, AdamW moments) + activations, caches and scratch. The NF4 panel
    /// (<see cref="Nf4ScratchBytes"/>) is allocated during the first step, so <see cref="ActivationBytes"/> holds it already.</summary>
    public long StepBytes => ProjectionBytes + OtherBaseBytes + AdapterStateBytes + ActivationBytes;
}
