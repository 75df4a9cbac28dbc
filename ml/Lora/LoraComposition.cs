using Pipeline.ML.Models;

namespace Pipeline.ML.Lora;

/// <summary>
/// Two adapters trained one after the other (the second on the base with the first merged in) are one adapter on
/// the original base: ΔW = s₁B₁A₁ + s₂B₂A₂ = [s₁B₁ | s₂B₂]·[A₁; A₂], exactly, with rank r₁ + r₂ and scale 1. This is how
/// the recipe's preference stage (a fresh adapter on the merged SFT model) is served as one LoRA on the shared base.
/// A projection only one of them adapts gets zero blocks from the other.
/// </summary>
public static class LoraComposition
{
    public static LoraAdapter Concat(string name, LoraAdapter first, LoraAdapter second, LlamaConfig model)
    {
        var (r1, r2) = (first.Config.R, second.Config.R);
        var config = new LoraConfig { R = r1 + r2, Alpha = r1 + r2, Dropout = 0, Targets = first.Config.Targets | second.Config.Targets };
        var combined = LoraAdapter.Build(name, config, model);
        foreach (var (key, w) in combined.Weights)
        {
            // A: (r1 + r2, in) — rows of A₁ then A₂. B: (out, r1 + r2) — columns s₁B₁ then s₂B₂.
            var a = w.A.Value.Span;
            var b = w.B.Value.Span;
            var (inFeatures, outFeatures) = (w.A.Value.Dim(1), w.B.Value.Dim(0));
            var offset = 0;
            foreach (var part in new[] { first, second })
            {
                var rank = part.Config.R;
                if (part.Weights.TryGetValue(key, out var pw))
                {
                    pw.A.Value.Span.CopyTo(a.Slice(offset * inFeatures, rank * inFeatures));
                    var pb = pw.B.Value.Span;
                    for (var o = 0; o < outFeatures; o++)
                    {
                        for (var j = 0; j < rank; j++) b[o * (r1 + r2) + offset + j] = pw.Scale * pb[o * rank + j];
                    }
                }
                offset += rank;
            }
        }
        return combined;
    }
}
