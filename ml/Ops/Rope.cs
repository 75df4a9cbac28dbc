using System.Numerics;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Ops;

/// <summary>
/// Rotary position embedding in HF's "rotate_half" layout (NOT interleaved pairs): dimension i pairs with
/// i + D/2. For i &lt; D/2, with (c, s) = table at (pos, i):
///   out[i] = x[i]·c − x[i+D/2]·s ;  out[i+D/2] = x[i+D/2]·c + x[i]·s
/// Each term is a separate rounded product, as PyTorch evaluates <c>q * cos + rotate_half(q) * sin</c>, so the
/// float path matches HF bit for bit given the same table.
/// </summary>
public static class Rope
{
    /// <summary>Rotates every head of every row IN PLACE.</summary>
    // x: (N, H, D) with D = table.HeadDim; positions: (N), each in [0, table.MaxPositions)
    public static void Forward<T>(Span<T> x, ReadOnlySpan<int> positions, RopeTable<T> table, int n, int heads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Run(x, positions, table, n, heads, inverse: false, "Rope.Forward", nameof(x));
    }

    /// <summary>
    /// Turns dL/dout into dL/dx IN PLACE. The rotation is orthogonal, so its gradient is the inverse rotation
    /// (angle −θ) of dout. This is the one backward that overwrites instead of accumulating: Forward rotated x in
    /// place, so out and x share one buffer and the caller's gradient buffer for it already holds dL/dout — the
    /// incoming gradient and the outgoing one are the same storage, and adding would count dout twice.
    /// </summary>
    // dx: (N, H, D) holding dL/dout on entry and dL/dx on return; positions: (N)
    public static void Backward<T>(Span<T> dx, ReadOnlySpan<int> positions, RopeTable<T> table, int n, int heads)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Run(dx, positions, table, n, heads, inverse: true, "Rope.Backward", nameof(dx));
    }

    private static unsafe void Run<T>(
        Span<T> x, ReadOnlySpan<int> positions, RopeTable<T> table, int n, int heads, bool inverse, string op, string xName)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(table);
        if (n < 0 || heads <= 0)
        {
            throw new ArgumentException($"{op}: n must be non-negative and heads positive, got n={n} heads={heads}");
        }
        var headDim = table.HeadDim;
        var expected = (long)n * heads * headDim;
        if (x.Length != expected)
        {
            throw new ArgumentException(
                $"{op}: {xName} must have length n·heads·headDim = {n}·{heads}·{headDim} = {expected}, got {x.Length}", xName);
        }
        if (positions.Length != n)
        {
            throw new ArgumentException($"{op}: positions must have length n = {n}, got {positions.Length}", nameof(positions));
        }
        for (var row = 0; row < n; row++)
        {
            if ((uint)positions[row] >= (uint)table.MaxPositions)
            {
                throw new ArgumentException(
                    $"{op}: positions[{row}] = {positions[row]} is outside the table's [0, {table.MaxPositions})",
                    nameof(positions));
            }
        }
        if (n == 0)
        {
            return;
        }

        // About 32K elements a chunk: enough work to amortise scheduling, boundaries fixed by the sizes alone.
        var rowElements = heads * headDim;
        var rowsPerChunk = Math.Max(1, 32768 / rowElements);
        fixed (T* px = x)
        fixed (int* ppos = positions)
        fixed (T* pcos = table.Cos)
        fixed (T* psin = table.Sin)
        {
            var body = new RopeBody<T>
            {
                X = px, Positions = ppos, Cos = pcos, Sin = psin,
                Rows = n, Heads = heads, HeadDim = headDim, RowsPerChunk = rowsPerChunk, Inverse = inverse,
            };
            CpuParallel.For((n + rowsPerChunk - 1) / rowsPerChunk, body);
        }
    }
}
