using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Tests.Tokenization;

/// <summary>Encodings of fixtures/tiny-bpe.tokenizer.json, derived by hand. Merge ranks: 0 "l l", 1 "h e",
/// 2 "ll o", 3 "Ġ w", 4 "he llo", 5 "o r", 6 "Ġw or"; the lowest-ranked adjacent pair merges first, leftmost first.
/// - "hello": h e l l o → (r0) h e ll o → (r1) he ll o → (r2) he llo → (r4) hello = [12].
/// - " world" (GPT-2 keeps the leading space with the word; space is Ġ): Ġ w o r l d → (r3) Ġw o r l d →
///   (r5) Ġw or l d → (r6) Ġwor l d; no merge joins "Ġwor l" or "l d" = [14, 2, 7].
/// - "lll": both pairs are "l l" (rank 0); the leftmost merges, leaving ll l = [9, 2].
/// - "hello&lt;|endoftext|&gt;": the added token is cut out first = [12, 15].</summary>
public sealed class TokenizerJsonGoldenTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "tiny-bpe.tokenizer.json");
    private static readonly string PairsFixture = Path.Combine(AppContext.BaseDirectory, "fixtures", "tiny-bpe-pairs.tokenizer.json");

    [Theory]
    [InlineData("hello", new[] { 12 })]
    [InlineData(" world", new[] { 14, 2, 7 })]
    [InlineData("hello world", new[] { 12, 14, 2, 7 })]
    [InlineData("lll", new[] { 9, 2 })]
    [InlineData("hello<|endoftext|>", new[] { 12, 15 })]
    [InlineData("", new int[0])]
    public void Encode_HandWrittenFixture_MatchesHandDerivedIds(string text, int[] expected)
    {
        var tokenizer = ByteLevelBpeTokenizer.Load(Fixture);

        Assert.Equal(expected, tokenizer.Encode(text));
        Assert.Equal(text, tokenizer.Decode(expected));
    }

    [Fact]
    public void Load_MergesAsPairs_EncodesLikeMergesAsStrings()
    {
        var strings = ByteLevelBpeTokenizer.Load(Fixture);
        var pairs = ByteLevelBpeTokenizer.Load(PairsFixture);

        Assert.Equal(strings.Merges, pairs.Merges);
        Assert.Equal(new[] { 12, 14, 2, 7 }, pairs.Encode("hello world"));
    }

    [Fact]
    public void Load_HandWrittenFixture_ExposesVocabAndAddedTokens()
    {
        var tokenizer = ByteLevelBpeTokenizer.Load(Fixture);

        Assert.Equal(16, tokenizer.VocabSize);
        Assert.Equal(15, tokenizer.TokenToId("<|endoftext|>"));
        Assert.Equal("Ġwor", tokenizer.IdToToken(14));
        Assert.Null(tokenizer.TokenToId("xyz"));
    }

    [Fact]
    public void Encode_ByteMissingFromVocab_Throws()
    {
        var tokenizer = ByteLevelBpeTokenizer.Load(Fixture);

        var error = Assert.Throws<InvalidOperationException>(() => tokenizer.Encode("hi"));
        Assert.Contains("0x69", error.Message);
    }

    [Fact]
    public void Save_LoadedFixture_ReloadsToSameEncodings()
    {
        var tokenizer = ByteLevelBpeTokenizer.Load(Fixture);
        var path = Path.Combine(Path.GetTempPath(), $"tiny-bpe-{Guid.NewGuid():N}.json");
        try
        {
            tokenizer.Save(path);
            var reloaded = ByteLevelBpeTokenizer.Load(path);

            Assert.Equal(tokenizer.Encode("hello world<|endoftext|>"), reloaded.Encode("hello world<|endoftext|>"));
            Assert.Equal(tokenizer.ToJsonBytes(), reloaded.ToJsonBytes());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
