using Pipeline.Infra.Tracking;

namespace Pipeline.Infra.Tests.Tracking;

public sealed class LogBatchSplitterTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(0);

    [Fact]
    public void Split_Nothing_YieldsNoRequest()
    {
        Assert.Empty(LogBatchSplitter.Split([], [], []));
    }

    [Theory]
    [InlineData(1500, 0, 0, 2)]
    [InlineData(1000, 0, 0, 1)]
    [InlineData(0, 100, 100, 1)]
    [InlineData(0, 101, 0, 2)]
    [InlineData(950, 60, 0, 2)]
    [InlineData(900, 250, 150, 3)]
    public void Split_AnyMix_EveryChunkWithinLimitsAndNothingLostOrReordered(int metrics, int parameters, int tags, int expectedChunks)
    {
        var m = Enumerable.Range(0, metrics).Select(i => new MetricPoint("loss", i, i, T0)).ToList();
        var p = Enumerable.Range(0, parameters).Select(i => KeyValuePair.Create($"p{i}", "v")).ToList();
        var t = Enumerable.Range(0, tags).Select(i => KeyValuePair.Create($"t{i}", "v")).ToList();

        var chunks = LogBatchSplitter.Split(m, p, t).ToList();

        Assert.Equal(expectedChunks, chunks.Count);
        Assert.All(chunks, c => Assert.True(
            c.Metrics.Count <= 1000 && c.Params.Count <= 100 && c.Tags.Count <= 100 && c.Metrics.Count + c.Params.Count + c.Tags.Count <= 1000));
        Assert.Equal(m, chunks.SelectMany(c => c.Metrics));
        Assert.Equal(p, chunks.SelectMany(c => c.Params));
        Assert.Equal(t, chunks.SelectMany(c => c.Tags));
    }
}
