using System.Text;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Tests.Tokenization;

public sealed class ByteLevelBpeTokenizerTests
{
    // Code point ranges to draw from: ASCII incl. controls, Latin-1, combining marks, CJK, emoji (outside the BMP),
    // odd whitespace (NBSP, ideographic space, line separator), and the replacement character itself.
    private static readonly (int Low, int High)[] Ranges =
    [
        (0x00, 0x7F), (0x80, 0xFF), (0x300, 0x36F), (0x4E00, 0x4FFF), (0x1F600, 0x1F64F), (0x1F3FB, 0x1F3FF),
        (0xA0, 0xA0), (0x3000, 0x3000), (0x2028, 0x2029), (0xFFFD, 0xFFFD), (0x10000, 0x10FFFF),
    ];

    [Fact]
    public void DecodeEncode_RandomUnicodeStrings_RoundTripsExactly()
    {
        var tokenizer = TestTokenizers.Trained;
        var random = new Random(1234);
        for (var n = 0; n < 1000; n++)
        {
            var text = RandomText(random);

            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\n\n\t  \r\n")]
    [InlineData("e\u0301\u0302 combining")]
    [InlineData("👩‍👩‍👧‍👦 family 🇯🇵")]
    [InlineData("東京 日本語 中文")]
    [InlineData("\0\u0001\u001f\u007f")]
    [InlineData("it's we'll <|im_start|>user\nhi<|im_end|>")]
    public void DecodeEncode_EdgeCase_RoundTripsExactly(string text)
    {
        var tokenizer = TestTokenizers.Trained;

        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void Encode_SpecialTokens_AreSingleIdsNeverMergedWithNeighbours()
    {
        var tokenizer = TestTokenizers.Trained;
        var imStart = tokenizer.TokenToId("<|im_start|>")!.Value;
        var imEnd = tokenizer.TokenToId("<|im_end|>")!.Value;

        var ids = tokenizer.Encode("the<|im_start|><|im_end|>model<|im_end|>");

        Assert.Equal(tokenizer.Encode("the"), ids[..tokenizer.Encode("the").Length]);
        Assert.Equal([imStart, imEnd], ids[tokenizer.Encode("the").Length..][..2]);
        Assert.Equal(imEnd, ids[^1]);
        Assert.Equal([imStart], tokenizer.Encode("<|im_start|>"));
        Assert.Equal("<|im_end|>", tokenizer.IdToToken(imEnd));
    }

    [Fact]
    public void Decode_InvalidUtf8FromArbitraryIds_UsesReplacementCharacter()
    {
        var tokenizer = TestTokenizers.Trained;
        // 0xE6 starts a three-byte sequence (東 is E6 9D B1) that never completes.
        var lead = tokenizer.TokenToId(((char)0xE6).ToString())!.Value;

        Assert.Equal("\uFFFDa", tokenizer.Decode([lead, tokenizer.TokenToId("a")!.Value]));
    }

    [Fact]
    public void Decode_UnknownId_Throws()
    {
        var tokenizer = TestTokenizers.Trained;

        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([tokenizer.VocabSize]));
    }

    [Fact]
    public void Load_SavedTrainedTokenizer_EncodesIdentically()
    {
        var tokenizer = TestTokenizers.Trained;
        var reloaded = ByteLevelBpeTokenizer.FromJson(Encoding.UTF8.GetString(tokenizer.ToJsonBytes()));
        var text = string.Concat(TestTokenizers.Corpus(seed: 7, sentences: 50)) + "<|endoftext|>😀";

        Assert.Equal(tokenizer.Encode(text), reloaded.Encode(text));
        Assert.Equal(tokenizer.VocabSize, reloaded.VocabSize);
    }

    private static string RandomText(Random random)
    {
        var text = new StringBuilder();
        var length = random.Next(0, 40);
        for (var i = 0; i < length; i++)
        {
            var (low, high) = Ranges[random.Next(Ranges.Length)];
            var codePoint = random.Next(low, high + 1);
            if (codePoint is >= 0xD800 and <= 0xDFFF)
            {
                continue; // lone surrogates are not Unicode scalar values and have no UTF-8 form
            }

            text.Append(char.ConvertFromUtf32(codePoint));
        }

        return text.ToString();
    }
}
