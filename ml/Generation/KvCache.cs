using Pipeline.ML.Models;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Generation;

/// <summary>Per-layer keys and values of B sequences, up to <see cref="Capacity"/> positions: (B, L, Hkv·D) each.</summary>
public sealed class KvCache
{
    public KvCache(LlamaConfig c, int batch, int capacity)
    {
        Batch = batch;
        Capacity = capacity;
        var width = c.NumKeyValueHeads * c.HeadDim;
        Keys = Enumerable.Range(0, c.NumHiddenLayers).Select(_ => new Tensor(batch, capacity, width)).ToArray();
        Values = Enumerable.Range(0, c.NumHiddenLayers).Select(_ => new Tensor(batch, capacity, width)).ToArray();
    }

    public int Batch { get; }

    public int Capacity { get; }

    /// <summary>Positions filled so far (the same for every row: prompts are left-padded to a common length).</summary>
    public int Length { get; internal set; }

    public Tensor[] Keys { get; }

    public Tensor[] Values { get; }
}
