using Pipeline.ML.Tensors;

namespace Pipeline.ML.Models;

/// <summary>
/// What a <see cref="Projection"/>'s LoRA path keeps between forward and backward, reused across steps, and the
/// <see cref="LoraScratch"/> it borrows temporaries from (shared with the other projections of the same activations).
/// </summary>
public sealed class ProjectionCache(LoraScratch? scratch = null)
{
    public Tensor? DropMask;   // (N, In) 0 or 1/(1−p)
    public Tensor? Dropped;    // (N, In) x ⊙ mask; null without dropout
    public Tensor? Hidden;     // (N, r)

    public LoraScratch Scratch { get; } = scratch ?? new LoraScratch();

    /// <summary>Returns <paramref name="slot"/>, reallocating it only when the shape changed.</summary>
    public Tensor Ensure(ref Tensor? slot, int rows, int cols)
    {
        if (slot is null || slot.Dim(0) != rows || slot.Dim(1) != cols)
        {
            slot = new Tensor(rows, cols);
        }
        return slot;
    }
}
