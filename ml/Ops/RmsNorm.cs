using System.Buffers;
using System.Numerics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Ops;

/// <summary>
/// HF LlamaRMSNorm (Zhang &amp; Sennrich 2019, https://arxiv.org/abs/1910.07467):
/// y = weight · (x · rstd) with rstd = 1 / sqrt(mean(x²) + eps), per row.
/// </summary>
public static class RmsNorm
{
    private const string Op = "RmsNorm";

    /// <summary>Most partial weight-gradient blocks one backward uses: bounds the scratch for very wide rows.</summary>
    private const int MaxWeightBlocks = 64;

    // x, y: (N, C); weight: (C); rstd: (N), written for backward
    public static unsafe void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> weight, Span<T> y, Span<T> rstd, int n, int channels, T eps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(x.Length, weight.Length, rstd.Length, n, channels);
        OpArgs.Length(Op, "y", y.Length, (long)n * channels, $"(N, C) = ({n}, {channels})");
        fixed (T* px = x, pw = weight, py = y, pr = rstd)
        {
            var body = new RmsNormForwardBody<T>
            {
                X = px, Weight = pw, Y = py, Rstd = pr, Eps = eps,
                Rows = n, Channels = channels, RowsPerChunk = RowChunks.RowsPerChunk(channels),
            };
            CpuParallel.For(RowChunks.Count(n, channels), body);
        }
    }

    /// <summary>
    /// With x̂ = x · rstd and dx̂ = dy · weight:
    /// dx += rstd · (dx̂ − x̂ · mean(dx̂ · x̂)) and dweight += Σ_rows dy · x̂.
    /// The weight gradient is summed per fixed block of rows, then the blocks in order, so it is bit-identical
    /// for any thread count. An empty <paramref name="dweight"/> (frozen weight) skips it.
    /// </summary>
    // dy, x, dx: (N, C); weight, dweight: (C); rstd: (N) from Forward
    public static unsafe void Backward<T>(
        ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> rstd, Span<T> dx, Span<T> dweight, int n, int channels)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        CheckShapes(x.Length, weight.Length, rstd.Length, n, channels);
        var shape = $"(N, C) = ({n}, {channels})";
        OpArgs.Length(Op, "dy", dy.Length, (long)n * channels, shape);
        OpArgs.Length(Op, "dx", dx.Length, (long)n * channels, shape);
        var wantWeight = OpArgs.Optional(Op, "dweight", dweight.Length, channels, $"(C) = ({channels})");

        // Block boundaries depend only on (n, channels): the weight-gradient partials are thread-count independent.
        var rowsPerBlock = Math.Max(RowChunks.RowsPerChunk(channels), (n + MaxWeightBlocks - 1) / MaxWeightBlocks);
        var blocks = (n + rowsPerBlock - 1) / rowsPerBlock;
        var partials = wantWeight ? ArrayPool<T>.Shared.Rent(blocks * channels) : null;
        try
        {
            if (partials != null)
            {
                Array.Clear(partials, 0, blocks * channels);
            }
            fixed (T* pdy = dy, px = x, pw = weight, pr = rstd, pdx = dx, pp = partials)
            {
                var body = new RmsNormBackwardBody<T>
                {
                    Dy = pdy, X = px, Weight = pw, Rstd = pr, Dx = pdx, WeightPartials = pp,
                    Rows = n, Channels = channels, RowsPerChunk = rowsPerBlock,
                };
                CpuParallel.For(blocks, body);
            }
            for (var b = 0; b < blocks && partials != null; b++)
            {
                RowSimd.Add(partials.AsSpan(b * channels, channels), dweight);
            }
        }
        finally
        {
            if (partials != null)
            {
                ArrayPool<T>.Shared.Return(partials);
            }
        }
    }

    private static void CheckShapes(int xLength, int weightLength, int rstdLength, int n, int channels)
    {
        OpArgs.NonNegative(Op, "n", n);
        OpArgs.NonNegative(Op, "channels", channels);
        OpArgs.Length(Op, "x", xLength, (long)n * channels, $"(N, C) = ({n}, {channels})");
        OpArgs.Length(Op, "weight", weightLength, channels, $"(C) = ({channels})");
        OpArgs.Length(Op, "rstd", rstdLength, n, $"(N) = ({n})");
    }
}
