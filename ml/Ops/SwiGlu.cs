using System.Numerics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Ops;

/// <summary>
/// The LLaMA MLP activation (Shazeer 2020, https://arxiv.org/abs/2002.05202): h = silu(gate) ⊙ up with
/// silu(z) = z · σ(z), computed as z / (1 + exp(−z)) like PyTorch's kernel (no overflow for large |z|).
/// </summary>
public static class SwiGlu
{
    private const string Op = "SwiGlu";

    // gate, up, h: (count) — flat (N·F)
    public static unsafe void Forward<T>(ReadOnlySpan<T> gate, ReadOnlySpan<T> up, Span<T> h, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(gate.Length, up.Length, count);
        OpArgs.Length(Op, "h", h.Length, count, $"(count) = ({count})");
        fixed (T* g = gate, u = up, ph = h)
        {
            CpuParallel.For(Chunks(count), new SwiGluForwardBody<T> { Gate = g, Up = u, H = ph, Count = count });
        }
    }

    /// <summary>
    /// With σ = σ(gate): dup += dh · silu(gate); dgate += dh · up · σ · (1 + gate · (1 − σ)) (silu's derivative,
    /// as PyTorch's silu_backward).
    /// </summary>
    // dh, gate, up, dgate, dup: (count)
    public static unsafe void Backward<T>(ReadOnlySpan<T> dh, ReadOnlySpan<T> gate, ReadOnlySpan<T> up, Span<T> dgate, Span<T> dup, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(gate.Length, up.Length, count);
        var shape = $"(count) = ({count})";
        OpArgs.Length(Op, "dh", dh.Length, count, shape);
        OpArgs.Length(Op, "dgate", dgate.Length, count, shape);
        OpArgs.Length(Op, "dup", dup.Length, count, shape);
        fixed (T* pdh = dh, g = gate, u = up, dg = dgate, du = dup)
        {
            var body = new SwiGluBackwardBody<T> { Dh = pdh, Gate = g, Up = u, DGate = dg, DUp = du, Count = count };
            CpuParallel.For(Chunks(count), body);
        }
    }

    /// <summary>Elements per parallel chunk: fixed, and a multiple of every vector width.</summary>
    internal const int ChunkElements = RowChunks.MinElements;

    private static int Chunks(int count) => (count + ChunkElements - 1) / ChunkElements;

    private static void CheckShapes(int gateLength, int upLength, int count)
    {
        OpArgs.NonNegative(Op, "count", count);
        OpArgs.Length(Op, "gate", gateLength, count, $"(count) = ({count})");
        OpArgs.Length(Op, "up", upLength, count, $"(count) = ({count})");
    }
}
