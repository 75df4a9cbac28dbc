using System.Text;
using Pipeline.Eval.Contamination;

namespace Pipeline.Eval.Tests.Contamination;

public sealed class NGramHasherTests
{
    [Fact]
    public void Fnv1a64_KnownInputs_GiveTheReferenceHashes()
    {
        // Reference values of the FNV-1a 64-bit hash (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
        Assert.Equal(0xcbf29ce484222325UL, NGramHasher.Fnv1a64([]));
        Assert.Equal(0xaf63dc4c8601ec8cUL, NGramHasher.Fnv1a64("a"u8));
        Assert.Equal(0x85944171f73967e8UL, NGramHasher.Fnv1a64("foobar"u8));
    }

    [Fact]
    public void Hash_ShortText_IsOneHashOfItsNormalizedWords()
    {
        var hashes = new List<ulong>();

        var count = new NGramHasher(8).Hash("  What is 83 - 6?!", hashes);

        Assert.Equal(1, count);
        Assert.Equal(NGramHasher.Fnv1a64("what is 83 - 6"u8), hashes[0]);
    }

    [Fact]
    public void Words_Operators_AreWordsSoAdditionAndSubtractionDiffer()
    {
        var hasher = new NGramHasher(8);

        Assert.Equal(["83", "-", "6", "=", "77"], hasher.Words("83-6=77."));
        Assert.NotEqual(hasher.Words("What is 83 + 6?"), hasher.Words("What is 83 - 6?"));
    }

    [Fact]
    public void Hash_LongText_HashesEveryWindowOfNWords()
    {
        var hashes = new List<ulong>();

        var count = new NGramHasher(3).Hash("One, two; THREE four five", hashes);

        Assert.Equal(3, count);
        Assert.Equal(new[] { "one two three", "two three four", "three four five" }.Select(s => NGramHasher.Fnv1a64(Encoding.UTF8.GetBytes(s))), hashes);
    }

    [Fact]
    public void Hash_NoWords_AddsNothing()
    {
        var hashes = new List<ulong>();

        Assert.Equal(0, new NGramHasher(8).Hash(" ?! ... ", hashes));
        Assert.Empty(hashes);
    }

    [Fact]
    public void Words_NonAsciiLetters_AreKeptAndLowerCased()
    {
        Assert.Equal(["straße", "élan", "日本"], new NGramHasher(8).Words("STRAßE — Élan, 日本!"));
    }
}
