using Pipeline.ML.Ops;

namespace Pipeline.ML.Tests.Ops;

[Collection("CpuParallel")]
public sealed class EmbeddingTests
{
    private const int Vocab = 7;
    private const int Channels = 5;

    [Fact]
    public void Forward_CopiesTheTableRowOfEachId()
    {
        double[] table = [.. Enumerable.Range(0, Vocab * Channels).Select(i => i * 0.5)];
        int[] ids = [3, 0, 3, 6];
        var output = new double[ids.Length * Channels];
        Array.Fill(output, double.NaN); // overwritten, not accumulated

        Embedding.Forward<double>(ids, table, output, Vocab, Channels);

        for (var n = 0; n < ids.Length; n++)
        {
            Assert.Equal(table.AsSpan(ids[n] * Channels, Channels), output.AsSpan(n * Channels, Channels));
        }
    }

    [Fact]
    public void Backward_RepeatedIds_SumsTheirRowsInRowOrder()
    {
        int[] ids = [2, 0, 2];
        double[] dout = [.. Enumerable.Range(0, ids.Length * Channels).Select(i => i + 1.0)];
        var dtable = Enumerable.Repeat(0.25, Vocab * Channels).ToArray();

        Embedding.Backward<double>(ids, dout, dtable, Vocab, Channels);

        for (var c = 0; c < Channels; c++)
        {
            Assert.Equal(0.25 + dout[c] + dout[2 * Channels + c], dtable[2 * Channels + c]);
            Assert.Equal(0.25 + dout[Channels + c], dtable[c]);
            Assert.Equal(0.25, dtable[Channels + c]); // an id no row uses keeps its value
        }
    }

    [Theory]
    [InlineData(Channels)]
    [InlineData(37)] // vector loops and a scalar tail
    public void Backward_MatchesFiniteDifferences(int channels)
    {
        int[] ids = [4, 1, 4]; // a repeated id checks the accumulation
        GradCheck.Check(
            new Dictionary<string, double[]> { ["table"] = GradCheck.Random(Vocab * channels, 1) },
            ["table"],
            inputs =>
            {
                var output = new double[ids.Length * channels];
                Embedding.Forward<double>(ids, inputs["table"], output, Vocab, channels);
                return output;
            },
            (inputs, dout, grads) => Embedding.Backward<double>(ids, dout, grads["table"], Vocab, channels));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(-1)]
    public void Forward_IdOutOfRange_ThrowsNamingRowAndId(int badId)
    {
        int[] ids = [0, badId, 1];

        var error = Assert.Throws<ArgumentException>(
            () => Embedding.Forward<double>(ids, new double[Vocab * Channels], new double[ids.Length * Channels], Vocab, Channels));

        Assert.Contains($"id {badId} at row 1", error.Message);
        Assert.Contains("[0, 7)", error.Message);
    }

    [Fact]
    public void Backward_IdOutOfRange_ThrowsBeforeWriting()
    {
        var dtable = new double[Vocab * Channels];

        var error = Assert.Throws<ArgumentException>(
            () => Embedding.Backward<double>([1, 99], new double[2 * Channels], dtable, Vocab, Channels));

        Assert.Contains("id 99 at row 1", error.Message);
        Assert.All(dtable, v => Assert.Equal(0.0, v));
    }

    [Theory]
    [InlineData(Vocab * Channels - 1, 2 * Channels, "table")]
    [InlineData(Vocab * Channels, 2 * Channels + 1, "output")]
    public void Forward_WrongLength_ThrowsNamingArgument(int tableLength, int outputLength, string argument)
    {
        var error = Assert.Throws<ArgumentException>(
            () => Embedding.Forward<double>([0, 1], new double[tableLength], new double[outputLength], Vocab, Channels));

        Assert.Contains($"Embedding: {argument} has length", error.Message);
    }

    [Fact]
    public void Float_AgreesWithDouble()
    {
        const int vocab = 50, channels = 96;
        var ids = Enumerable.Range(0, 70).Select(i => i * 13 % vocab).ToArray();
        var table = OpAssert.FloatExact(vocab * channels, 2);
        var dout = OpAssert.FloatExact(ids.Length * channels, 3);
        var (output, dtable) = (new double[ids.Length * channels], new double[vocab * channels]);
        var (outputF, dtableF) = (new float[output.Length], new float[dtable.Length]);

        Embedding.Forward<double>(ids, table, output, vocab, channels);
        Embedding.Backward<double>(ids, dout, dtable, vocab, channels);
        Embedding.Forward<float>(ids, OpAssert.ToFloat(table), outputF, vocab, channels);
        Embedding.Backward<float>(ids, OpAssert.ToFloat(dout), dtableF, vocab, channels);

        OpAssert.Close(output, outputF, 0, "output");
        OpAssert.Close(dtable, dtableF, 1e-6, "dtable");
    }

    [Fact]
    public void ThreadCount_DoesNotChangeBits()
    {
        const int vocab = 300, channels = 97;
        var ids = Enumerable.Range(0, 500).Select(i => i * 7 % vocab).ToArray();
        var table = OpAssert.ToFloat(GradCheck.Random(vocab * channels, 4));
        var dout = OpAssert.ToFloat(GradCheck.Random(ids.Length * channels, 5));

        OpAssert.SameBitsForThreadCounts(() =>
        {
            var (output, dtable) = (new float[ids.Length * channels], new float[vocab * channels]);
            Embedding.Forward<float>(ids, table, output, vocab, channels);
            Embedding.Backward<float>(ids, dout, dtable, vocab, channels);
            return [output, dtable];
        });
    }
}
