using Pipeline.ML.Compute;
using Pipeline.ML.Models;

namespace Pipeline.ML.Optim;

/// <summary>Global-norm gradient clipping, as torch.nn.utils.clip_grad_norm_.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Returns the L2 norm of all gradients together (the <c>grad_norm</c> metric, before clipping) and, when it
    /// exceeds <paramref name="maxNorm"/>, scales every gradient by maxNorm / (norm + 1e-6). maxNorm ≤ 0 only measures.
    /// </summary>
    public static double ClipByGlobalNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        var list = parameters.ToList();
        double sumSquares = 0;
        foreach (var p in list)
        {
            // Per-tensor sums in double, in parameter order: deterministic and exact enough for a norm.
            double s = 0;
            foreach (var g in p.Grad!.Span)
            {
                s += (double)g * g;
            }
            sumSquares += s;
        }
        var norm = Math.Sqrt(sumSquares);
        if (maxNorm > 0 && norm > maxNorm)
        {
            var scale = (float)(maxNorm / (norm + 1e-6));
            foreach (var p in list)
            {
                // Vectorised (was a scalar loop); one product per element either way.
                VectorMath.Scale(p.Grad!.Span, scale, p.Grad.Span);
            }
        }
        return norm;
    }
}
