using Pipeline.ML.Kernels;

namespace Pipeline.ML.Tests.Kernels;

public sealed class GemmGridTests
{
    [Theory]
    [InlineData(2048, 2048, 2, 2)]
    [InlineData(2048, 128, 2, 2)]
    [InlineData(257, 130, 4, 4)]
    [InlineData(7, 33, 3, 2)] // fewer tiles than threads
    [InlineData(8, 32, 8, 1)]
    public void Plan_AnyShape_ChunksTileCExactlyOnce(int m, int n, int threads, int expectedChunks)
    {
        var grid = GemmGrid.Plan(m, n, threads, 8, 32);
        Assert.Equal(expectedChunks, grid.Chunks);
        var rectangles = Enumerable.Range(0, grid.Chunks).Select(grid.Rectangle).ToList();
        foreach (var (i0, i1, j0, j1) in rectangles)
        {
            Assert.True(i0 % 8 == 0 && j0 % 32 == 0, $"chunk ({i0}, {j0}) starts mid-tile");
            Assert.True(0 <= i0 && i0 < i1 && i1 <= m && 0 <= j0 && j0 < j1 && j1 <= n, $"chunk ({i0}..{i1}, {j0}..{j1}) is empty or outside C");
        }
        // Inside C, pairwise disjoint and adding up to C's area: every element in exactly one chunk.
        for (var x = 0; x < rectangles.Count; x++)
        {
            for (var y = x + 1; y < rectangles.Count; y++)
            {
                var (a, b) = (rectangles[x], rectangles[y]);
                Assert.False(a.I0 < b.I1 && b.I0 < a.I1 && a.J0 < b.J1 && b.J0 < a.J1, $"chunks {x} and {y} overlap");
            }
        }
        Assert.Equal((long)m * n, rectangles.Sum(r => (long)(r.I1 - r.I0) * (r.J1 - r.J0)));
    }

    [Theory]
    [InlineData(2048, 128, 2, 1)] // tall: rows, each thread packing its rows of A and all of (small) B
    [InlineData(128, 2048, 1, 2)] // wide: columns
    [InlineData(2048, 2048, 2, 1)] // square: rows
    public void Plan_CutsTheLongerSide(int m, int n, int rowBands, int colBands)
    {
        var grid = GemmGrid.Plan(m, n, 2, 8, 32);
        var (i0, i1, j0, j1) = grid.Rectangle(0);
        Assert.Equal((m / rowBands, n / colBands), (i1 - i0, j1 - j0));
    }
}
