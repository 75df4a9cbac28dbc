using System.Text;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Tests.Tokenization;

public sealed class BpeTrainerTests
{
    [Fact]
    public void Train_SameCorpusTwice_WritesIdenticalTokenizerJson()
    {
        var options = new BpeTrainerOptions { VocabSize = 400 };

        var first = new BpeTrainer(options).Train(TestTokenizers.Corpus(seed: 3, sentences: 500)).ToJsonBytes();
        var second = new BpeTrainer(options).Train(TestTokenizers.Corpus(seed: 3, sentences: 500)).ToJsonBytes();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Train_SyntheticCorpus_CompressesHeldOutText()
    {
        var tokenizer = TestTokenizers.Trained;
        var heldOut = string.Concat(TestTokenizers.Corpus(seed: 99, sentences: 200));

        var tokens = tokenizer.Encode(heldOut).Length;
        var bytes = Encoding.UTF8.GetByteCount(heldOut);

        Assert.True(tokens * 3 < bytes, $"{tokens} tokens for {bytes} bytes");
    }

    [Fact]
    public void Train_Vocab_SpecialsThenBytesThenMergesUpToTargetSize()
    {
        var tokenizer = TestTokenizers.Trained;

        Assert.Equal(400, tokenizer.VocabSize);
        Assert.Equal(0, tokenizer.TokenToId("<|im_start|>"));
        Assert.Equal(3, tokenizer.TokenToId("<|pad|>"));
        Assert.Equal(4, tokenizer.TokenToId("!"));
        // Two pairs spelling the same string share an id, so there can be more merges than new tokens.
        Assert.True(tokenizer.Merges.Count >= 400 - 4 - 256);
        Assert.All(tokenizer.AddedTokens, t => Assert.True(t.Special));
    }

    [Fact]
    public void Train_MostFrequentPairFirst_TiesBrokenLexicographically()
    {
        // Words: "cd" ×2, "Ġab" ×2, "ab", "Ġcd", "Ġxy". Pairs "a b" and "c d" tie at 3; "a" < "c" so "a b" goes first,
        // then "c d", then "Ġ ab" (2). Every other pair is seen once, below MinFrequency 2.
        var tokenizer = new BpeTrainer(new BpeTrainerOptions { VocabSize = 300, MinFrequency = 2, SpecialTokens = [] })
            .Train(["cd ab", "ab cd", "cd ab xy"]);

        Assert.Equal([("a", "b"), ("c", "d"), ("Ġ", "ab")], tokenizer.Merges);
    }

    [Fact]
    public void Train_VocabSmallerThanAlphabet_Throws()
    {
        Assert.Throws<ArgumentException>(() => new BpeTrainer(new BpeTrainerOptions { VocabSize = 100 }).Train(["x"]));
    }

    [Fact]
    public void Train_SpecialTokensInCorpus_NoMergeSpansThem()
    {
        var tokenizer = new BpeTrainer(new BpeTrainerOptions { VocabSize = 320 })
            .Train(Enumerable.Repeat("<|im_start|>user\nhello<|im_end|>", 50));

        Assert.DoesNotContain(tokenizer.Merges, m => (m.Left + m.Right).Contains("im_start"));
    }
}
