using Pipeline.ML.Data;
using static Pipeline.ML.Tests.Data.PackingFixtures;

namespace Pipeline.ML.Tests.Data;

public sealed class SequencePackerTests
{
    private const int PadId = 3;
    private const int Ignore = TokenizedExample.IgnoreIndex;

    [Fact]
    public void Pack_ManyExamples_RowsExactlySeqLenEachExampleOnceIntact()
    {
        var examples = Examples(Lengths(count: 200, max: 40, seed: 7));

        var rows = SequencePacker.Pack(examples, seqLen: 48, PadId);

        Assert.All(rows, row => Assert.True(row.InputIds.Length == 48 && row.Labels.Length == 48 && row.PositionIds.Length == 48));
        var placed = rows.SelectMany(row => Documents(row).Zip(row.ExampleLines)).ToList();
        Assert.Equal(examples.Select(e => e.Line).Order(), placed.Select(p => p.Second).Order());
        foreach (var (document, line) in placed)
        {
            var example = examples[line - 1];
            Assert.Equal(example.InputIds, document.Ids);
            Assert.Equal([Ignore, .. example.Labels[1..]], document.Labels);
        }
    }

    [Fact]
    public void Pack_Row_PositionsRestartAtEachExampleAndAtPadding()
    {
        var rows = SequencePacker.Pack(Examples([3, 2, 4]), seqLen: 12, PadId);

        var row = Assert.Single(rows);
        Assert.Equal([0, 1, 2, 0, 1, 0, 1, 2, 3, 0, 1, 2], row.PositionIds);
        Assert.Equal([1, 2, 3], row.ExampleLines);
        Assert.Equal(3, row.PaddingTokens);
    }

    [Fact]
    public void Pack_Row_FirstLabelOfEachExampleAndPaddingIgnored()
    {
        var examples = Examples([3, 2]);

        var row = Assert.Single(SequencePacker.Pack(examples, seqLen: 7, PadId));

        Assert.Equal([.. examples[0].InputIds, .. examples[1].InputIds, PadId, PadId], row.InputIds);
        Assert.Equal([Ignore, 1002, 1003, Ignore, 2002, Ignore, Ignore], row.Labels);
    }

    [Fact]
    public void Pack_CraftedLengths_BestFitDecreasingFillsBetterThanGreedy()
    {
        // In input order, a greedy packer closes a row whenever the next example does not fit: [6] [5 4] [5].
        // Best-fit decreasing places 6, 5, 5, 4 into [6 4] [5 5]: two full rows.
        var examples = Examples([6, 5, 4, 5]);
        var greedy = GreedyRows(examples, seqLen: 10);

        var rows = SequencePacker.Pack(examples, seqLen: 10, PadId);

        Assert.Equal(3, greedy);
        Assert.Equal([[1, 3], [2, 4]], rows.Select(r => r.ExampleLines));
        Assert.Equal(1.0, SequencePacker.Efficiency(rows));
        Assert.True(SequencePacker.Efficiency(rows) > 20.0 / (greedy * 10));
    }

    [Fact]
    public void Pack_RandomLengths_SameRowsAsQuadraticBestFitDecreasing()
    {
        for (var seed = 1UL; seed <= 20; seed++)
        {
            var examples = Examples(Lengths(count: 150, max: 60, seed));

            var rows = SequencePacker.Pack(examples, seqLen: 64, PadId);

            Assert.Equal(ReferenceBestFitDecreasing(examples, seqLen: 64), rows.Select(r => r.ExampleLines.ToList()).ToList());
        }
    }

    [Fact]
    public void Pack_EqualRoom_TiesGoToEarliestRowAndEarliestExample()
    {
        // 7 and 7 open rows with 3 left each; the first 3 (line 3) goes to the first row, the second to the second.
        var rows = SequencePacker.Pack(Examples([7, 7, 3, 3]), seqLen: 10, PadId);

        Assert.Equal([[1, 3], [2, 4]], rows.Select(r => r.ExampleLines));
    }

    [Fact]
    public void Pack_SameInput_SameRows()
    {
        var examples = Examples(Lengths(count: 100, max: 30, seed: 3));

        var first = SequencePacker.Pack(examples, seqLen: 32, PadId);
        var second = SequencePacker.Pack(examples, seqLen: 32, PadId);

        Assert.Equal(first.Select(r => r.InputIds), second.Select(r => r.InputIds));
        Assert.Equal(first.Select(r => r.Labels), second.Select(r => r.Labels));
    }

    [Fact]
    public void Pack_ExampleLongerThanSeqLen_TruncatedIntoItsOwnRow()
    {
        var examples = Examples([9, 2]);

        var rows = SequencePacker.Pack(examples, seqLen: 5, PadId);

        Assert.Equal([[1], [2]], rows.Select(r => r.ExampleLines));
        Assert.Equal(examples[0].InputIds[..5], rows[0].InputIds);
        Assert.Equal(0, rows[0].PaddingTokens);
    }

    [Fact]
    public void Pad_Examples_OneRightPaddedRowEach()
    {
        var examples = Examples([3, 5]);

        var rows = SequencePacker.Pad(examples, seqLen: 4, PadId);

        Assert.Equal([[1001, 1002, 1003, PadId], [2001, 2002, 2003, 2004]], rows.Select(r => r.InputIds));
        Assert.Equal([[Ignore, 1002, 1003, Ignore], [Ignore, 2002, 2003, 2004]], rows.Select(r => r.Labels));
        Assert.Equal([[0, 1, 2, 0], [0, 1, 2, 3]], rows.Select(r => r.PositionIds));
        Assert.Equal(7.0 / 8, SequencePacker.Efficiency(rows));
    }

    [Fact]
    public void Pack_LoadedConversations_EveryLossTokenKept()
    {
        // A conversation starts with <|im_start|>, never trained, so forcing the first label to -100 loses nothing.
        var jsonl = string.Join('\n', Enumerable.Range(1, 12).Select(i =>
            $$"""{"messages": [{"role": "user", "content": "q{{i}}"}, {"role": "assistant", "content": "{{new string('a', i)}}"}]}"""));
        var examples = SftDatasetFormatTests.Load(jsonl);

        var rows = SequencePacker.Pack(examples, seqLen: 64, ByteTokenizer.Pad);

        Assert.Equal(examples.Sum(e => e.LossTokens), rows.Sum(r => r.Labels.Count(label => label != Ignore)));
        Assert.True(SequencePacker.Efficiency(rows) > 0.9);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, -1)]
    public void Pack_InvalidArguments_Throw(int seqLen, int padId)
    {
        Assert.ThrowsAny<ArgumentException>(() => SequencePacker.Pack(Examples([2]), seqLen, padId));
    }

    [Fact]
    public void Pack_EmptyExample_ThrowsNamingLine()
    {
        var error = Assert.Throws<ArgumentException>(() => SequencePacker.Pack([new TokenizedExample([], [], 9)], 4, PadId));

        Assert.Contains("line 9", error.Message);
    }
}
