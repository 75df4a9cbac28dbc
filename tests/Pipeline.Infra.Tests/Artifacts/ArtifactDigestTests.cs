using System.Text;
using Pipeline.Infra.Artifacts;

namespace Pipeline.Infra.Tests.Artifacts;

public sealed class ArtifactDigestTests
{
    [Fact]
    public void Of_Abc_IsTheFipsTestVector()
    {
        // FIPS 180-2, appendix B.1.
        Assert.Equal("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ArtifactDigest.Of("abc"u8));
    }

    [Fact]
    public async Task OfAsync_Stream_MatchesTheSpanDigest()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('x', 100_000));
        Assert.Equal(ArtifactDigest.Of(bytes), await ArtifactDigest.OfAsync(new MemoryStream(bytes)));
    }

    [Theory]
    [InlineData("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", true)]
    [InlineData("sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", false)]
    [InlineData("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", false)]
    [InlineData("sha256:ba78", false)]
    public void IsValid_Digest_OnlyPrefixedLowercase64Hex(string digest, bool valid) => Assert.Equal(valid, ArtifactDigest.IsValid(digest));
}
