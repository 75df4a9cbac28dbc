namespace Pipeline.ML.Ops;

/// <summary>
/// How row-wise ops split rows into parallel chunks. The split depends only on the shape (never on the thread
/// count), so per-chunk partial results — and therefore every output — are bit-identical for any thread count.
/// </summary>
internal static class RowChunks
{
    /// <summary>About this many elements per chunk: below it, handing work to another thread costs more than it saves.</summary>
    public const int MinElements = 16384;

    public static int RowsPerChunk(int channels) => Math.Max(1, MinElements / Math.Max(1, channels));

    public static int Count(int rows, int channels)
    {
        var per = RowsPerChunk(channels);
        return (int)(((long)rows + per - 1) / per);
    }
}
