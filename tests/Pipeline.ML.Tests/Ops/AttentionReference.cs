namespace Pipeline.ML.Tests.Ops;

/// <summary>
/// Textbook attention in double: the full (T, T) score matrix per head, an explicit −∞ mask, softmax, then P·V.
/// Deliberately shares no code or loop structure with the op.
/// </summary>
internal static class AttentionReference
{
    // q: (N, H, D); k, v: (N, Hkv, D); docStart: (N) → output (N, H, D), probs (B, H, T, T)
    public static (double[] Output, double[] Probs) Forward(
        double[] q, double[] k, double[] v, int[] docStart, int batch, int seqLen, int heads, int kvHeads, int headDim)
    {
        var output = new double[batch * seqLen * heads * headDim];
        var probs = new double[batch * heads * seqLen * seqLen];
        var scale = 1.0 / Math.Sqrt(headDim);
        for (var b = 0; b < batch; b++)
        {
            for (var h = 0; h < heads; h++)
            {
                var kvh = h / (heads / kvHeads);
                for (var t = 0; t < seqLen; t++)
                {
                    var scores = new double[seqLen];
                    for (var s = 0; s < seqLen; s++)
                    {
                        var masked = s > t || s < docStart[b * seqLen + t];
                        var dot = 0.0;
                        for (var d = 0; d < headDim; d++)
                        {
                            dot += Q(b, t, h, d) * K(k, b, s, kvh, d);
                        }
                        scores[s] = masked ? double.NegativeInfinity : dot * scale;
                    }
                    var max = scores.Max();
                    var exps = scores.Select(x => Math.Exp(x - max)).ToArray();
                    var sum = exps.Sum();
                    for (var s = 0; s < seqLen; s++)
                    {
                        var p = exps[s] / sum;
                        probs[((b * heads + h) * seqLen + t) * seqLen + s] = p;
                        for (var d = 0; d < headDim; d++)
                        {
                            output[((b * seqLen + t) * heads + h) * headDim + d] += p * K(v, b, s, kvh, d);
                        }
                    }
                }
            }
        }
        return (output, probs);

        double Q(int b, int t, int h, int d) => q[((b * seqLen + t) * heads + h) * headDim + d];
        double K(double[] kv, int b, int s, int kvh, int d) => kv[((b * seqLen + s) * kvHeads + kvh) * headDim + d];
    }
}
