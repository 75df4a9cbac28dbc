namespace Pipeline.ML.Ops;

/// <summary>Attention's dimensions, validated once, and the checks every buffer argument goes through.</summary>
internal readonly record struct AttentionDims(int Batch, int SeqLen, int Heads, int KvHeads, int HeadDim)
{
    /// <summary>Query heads per KV head (HF's num_key_value_groups).</summary>
    public int Group => Heads / KvHeads;

    public long Rows => (long)Batch * SeqLen;

    public static AttentionDims Create(string op, int batch, int seqLen, int heads, int kvHeads, int headDim)
    {
        if (batch <= 0 || seqLen <= 0 || heads <= 0 || kvHeads <= 0 || headDim <= 0)
        {
            throw new ArgumentException(
                $"{op}: dimensions must be positive, got batch={batch} seqLen={seqLen} heads={heads} " +
                $"kvHeads={kvHeads} headDim={headDim}");
        }
        if (heads % kvHeads != 0)
        {
            throw new ArgumentException($"{op}: heads ({heads}) must be a multiple of kvHeads ({kvHeads})");
        }
        var shape = new AttentionDims(batch, seqLen, heads, kvHeads, headDim);
        if ((long)batch * heads * seqLen * seqLen > Array.MaxLength || shape.Rows * heads * headDim > Array.MaxLength)
        {
            throw new ArgumentException($"{op}: batch={batch} seqLen={seqLen} heads={heads} headDim={headDim} is too large");
        }
        return shape;
    }

    // (N, H, D)
    public void CheckQueries(string op, string name, int length) =>
        Check(op, name, "(N, H, D)", Rows * Heads * HeadDim, length);

    // (N, Hkv, D)
    public void CheckKeys(string op, string name, int length) =>
        Check(op, name, "(N, Hkv, D)", Rows * KvHeads * HeadDim, length);

    // (B, H, T, T)
    public void CheckProbs(string op, string name, int length) =>
        Check(op, name, "(B, H, T, T)", (long)Batch * Heads * SeqLen * SeqLen, length);

    // (N), 0 ≤ docStart[b,t] ≤ t
    public void CheckDocStart(string op, ReadOnlySpan<int> docStart)
    {
        Check(op, "docStart", "(N)", Rows, docStart.Length);
        for (var n = 0; n < docStart.Length; n++)
        {
            var t = n % SeqLen;
            if ((uint)docStart[n] > (uint)t)
            {
                throw new ArgumentException(
                    $"{op}: docStart[{n}] (sequence {n / SeqLen}, t={t}) = {docStart[n]} must be in [0, {t}]",
                    nameof(docStart));
            }
        }
    }

    private void Check(string op, string name, string shape, long expected, int length)
    {
        if (length != expected)
        {
            throw new ArgumentException(
                $"{op}: {name} {shape} must have length {expected} for B={Batch} T={SeqLen} H={Heads} " +
                $"Hkv={KvHeads} D={HeadDim}, got {length}",
                name);
        }
    }
}
