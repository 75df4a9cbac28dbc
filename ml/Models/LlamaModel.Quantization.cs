using Pipeline.ML.Lora;
using Pipeline.ML.Quantization;

namespace Pipeline.ML.Models;

public sealed partial class LlamaModel
{
    /// <summary>True once <see cref="QuantizeBase"/> has stored the projections in NF4.</summary>
    public bool IsBaseQuantized => Layers.Any(l => l.Projections.Any(p => p.Quantized is not null));

    /// <summary>The NF4 projection weights, in layer order (empty while the base is float32).</summary>
    public IEnumerable<Projection> QuantizedProjections =>
        Layers.SelectMany(l => l.Projections).Where(p => p.Quantized is not null);

    /// <summary>
    /// QLoRA's base (transformers: <c>BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
    /// bnb_4bit_use_double_quant=…)</c>): stores the seven projections of every layer in NF4 and frees their float32
    /// weights. Embeddings, norms and lm_head stay float32, as bitsandbytes leaves them. The base must be frozen;
    /// adapters train on top in float32. There is no way back short of reloading the checkpoint: the float32 weights
    /// are gone (that is the point), and merging an adapter into NF4 is refused (see <see cref="MergeAdapter"/>).
    /// </summary>
    public void QuantizeBase(Nf4Options? options = null)
    {
        options ??= new Nf4Options();
        options.Validate();
        if (IsBaseQuantized)
        {
            throw new InvalidOperationException("the base is already quantized");
        }
        if (ActiveAdapter is { Merged: true } merged)
        {
            throw new InvalidOperationException($"adapter '{merged.Name}' is merged into the base; unmerge it before quantizing");
        }
        foreach (var p in Layers.SelectMany(l => l.Projections))
        {
            p.Quantize(options);
        }
    }

    // A merged weight would have to be dequantized, updated and quantized again, losing the adapter's small update
    // in 4-bit rounding (its size is typically far below one NF4 level). PEFT dequantizes to 16-bit before
    // merge_and_unload; here the float base is the checkpoint on disk, so the message says to load that.
    private void ThrowIfMergingIntoNf4(LoraAdapter adapter)
    {
        if (IsBaseQuantized)
        {
            throw new InvalidOperationException(
                $"cannot merge adapter '{adapter.Name}' into an NF4-quantized base: load the base in float32 " +
                "(without load_in_4bit), add the adapter and merge there");
        }
    }
}
