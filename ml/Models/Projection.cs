using Pipeline.ML.Compute;
using Pipeline.ML.Lora;
using Pipeline.ML.Quantization;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Models;

/// <summary>
/// A bias-free linear layer (HF nn.Linear, weight (Out, In)) with an optional LoRA update:
/// y = x·Wᵀ + s·(drop(x)·Aᵀ)·Bᵀ, s = α/r. The adapter is attached while its adapter is active and not merged.
/// W is float32, or — once <see cref="Quantize"/>d for QLoRA — frozen NF4 dequantized panel by panel inside the product.
/// </summary>
public sealed class Projection
{
    private Parameter? _weight;

    public Projection(Parameter weight, LoraTarget target)
    {
        _weight = weight;
        Name = weight.Name;
        Target = target;
        OutFeatures = weight.Value.Dim(0);
        InFeatures = weight.Value.Dim(1);
    }

    /// <summary>The base weight's HF name (model.layers.{i}.self_attn.q_proj.weight).</summary>
    public string Name { get; }

    /// <summary>The float32 base weight. Throws once the projection is quantized: its float32 copy was freed.</summary>
    public Parameter Weight => _weight ?? throw new InvalidOperationException(
        $"{Name} is stored in NF4 (QLoRA) and has no float32 weight; read it with Quantized.Dequantize()");

    /// <summary>The NF4 base weight, or null while the base is float32.</summary>
    public Nf4Tensor? Quantized { get; private set; }

    public LoraTarget Target { get; }

    public int InFeatures { get; }

    public int OutFeatures { get; }

    /// <summary>Replaces the float32 base weight by its NF4 form and drops the float32 copy. The weight must be
    /// frozen: QLoRA trains adapters only.</summary>
    public void Quantize(Nf4Options options)
    {
        var weight = Weight;
        if (weight.Trainable)
        {
            throw new InvalidOperationException($"{Name} is trainable; a quantized base is frozen (freeze it first)");
        }
        Quantized = Nf4Tensor.Quantize(weight.Value, options);
        _weight = null;
    }

    /// <summary>The attached adapter, or null to run the base weight alone.</summary>
    public LoraWeights? Lora { get; internal set; }

    // x: (N, In); y: (N, Out)
    public void Forward(ITensorOps ops, Tensor x, Tensor y, ProjectionCache cache, Rng? dropoutRng)
    {
        if (Quantized is { } nf4)
        {
            ops.LinearNf4(x, nf4, y);
        }
        else
        {
            ops.Linear(x, Weight.Value, y);
        }
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
        if (Quantized is not { } nf4)
        {
            ops.LinearBackward(dy, x, Weight.Value, dx, Weight.Grad);
        }
        else if (dx is not null)
        {
            ops.LinearNf4Backward(dy, nf4, dx);
        }
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
