using Pipeline.ML.Compute;
using Pipeline.ML.Lora;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Models;

/// <summary>
/// A bias-free linear layer (HF nn.Linear, weight (Out, In)) with an optional LoRA update:
/// y = x·Wᵀ + s·(drop(x)·Aᵀ)·Bᵀ, s = α/r. The adapter is attached while its adapter is active and not merged.
/// </summary>
public sealed class Projection
{
    public Projection(Parameter weight, LoraTarget target)
    {
        Weight = weight;
        Target = target;
    }

    public Parameter Weight { get; }

    public LoraTarget Target { get; }

    public int InFeatures => Weight.Value.Dim(1);

    public int OutFeatures => Weight.Value.Dim(0);

    /// <summary>The attached adapter, or null to run the base weight alone.</summary>
    public LoraWeights? Lora { get; internal set; }

    // x: (N, In); y: (N, Out)
    public void Forward(ITensorOps ops, Tensor x, Tensor y, ProjectionCache cache, Rng? dropoutRng)
    {
        ops.Linear(x, Weight.Value, y);
        if (Lora is not { } lora)
        {
            return;
        }
        var n = x.Length / InFeatures;
        var input = x;
        if (lora.Dropout > 0 && dropoutRng is not null)
        {
            var mask = cache.Ensure(ref cache.DropMask, n, InFeatures);
            FillDropoutMask(mask.Span, lora.Dropout, dropoutRng);
            input = cache.Ensure(ref cache.Dropped, n, InFeatures);
            ops.Multiply(x, mask, input);
        }
        else
        {
            cache.Dropped = null;
        }
        var hidden = cache.Ensure(ref cache.Hidden, n, lora.Rank);     // (N, r) = drop(x)·Aᵀ
        ops.Linear(input, lora.A.Value, hidden);
        var update = cache.Scratch.Update(n, OutFeatures);             // (N, Out) = hidden·Bᵀ
        ops.Linear(hidden, lora.B.Value, update);
        ops.AddScaled(y, update, lora.Scale);
    }

    // dy: (N, Out); dx: (N, In), accumulated; null when the input needs no gradient
    public void Backward(ITensorOps ops, Tensor dy, Tensor x, Tensor? dx, ProjectionCache cache)
    {
        ops.LinearBackward(dy, x, Weight.Value, dx, Weight.Grad);
        if (Lora is not { } lora)
        {
            return;
        }
        var n = x.Length / InFeatures;
        var input = cache.Dropped ?? x;
        // The update is s·hidden·Bᵀ, so the upstream gradient of hidden's product is s·dy.
        // One pass writing s·dy (it was Zero then AddScaled: two passes over (N, Out), same values).
        var scaledDy = cache.Scratch.ScaledDy(n, OutFeatures);
        ops.Scale(dy, lora.Scale, scaledDy);
        var dHidden = cache.Scratch.DHidden(n, lora.Rank);
        ops.Zero(dHidden);
        // dB += (s·dy)ᵀ·hidden ; dHidden = (s·dy)·B
        ops.LinearBackward(scaledDy, cache.Hidden!, lora.B.Value, dHidden, lora.B.Grad);
        if (dx is null && lora.A.Grad is null)
        {
            return;
        }
        if (cache.Dropped is null)
        {
            // dA += dHiddenᵀ·x ; dx += dHidden·A
            ops.LinearBackward(dHidden, input, lora.A.Value, dx, lora.A.Grad);
            return;
        }
        // Through dropout: dx += (dHidden·A) ⊙ mask.
        var dDropped = cache.Scratch.DDropped(n, InFeatures);
        ops.Zero(dDropped);
        ops.LinearBackward(dHidden, input, lora.A.Value, dDropped, lora.A.Grad);
        if (dx is not null)
        {
            ops.Multiply(dDropped, cache.DropMask!, dDropped);
            ops.AddScaled(dx, dDropped, 1f);
        }
    }

    // Inverted dropout: kept elements are scaled by 1/(1−p) so the expectation is unchanged (as torch.nn.Dropout).
    private static void FillDropoutMask(Span<float> mask, float p, Rng rng)
    {
        var keep = 1f / (1f - p);
        for (var i = 0; i < mask.Length; i++)
        {
            mask[i] = rng.NextDouble() < p ? 0f : keep;
        }
    }
}
