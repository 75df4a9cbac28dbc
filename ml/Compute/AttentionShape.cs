namespace Pipeline.ML.Compute;

/// <summary>The dimensions of one attention call: B sequences of T tokens, H query heads, Hkv KV heads of size D.</summary>
public readonly record struct AttentionShape(int Batch, int SeqLen, int Heads, int KvHeads, int HeadDim);
