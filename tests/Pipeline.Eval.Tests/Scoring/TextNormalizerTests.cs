using Pipeline.Eval.Scoring;

namespace Pipeline.Eval.Tests.Scoring;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("lowercase", "The ANSWER Is 77", "the answer is 77")]
    [InlineData("strip", "  \t 77 apples \n", "77 apples")]
    [InlineData("collapse_whitespace", "  83 -\t6 \n =  77 ", "83 - 6 = 77")]
    [InlineData("strip_punctuation", "U.S.A.! \"Yes\" -5 (ok), $3", "USA Yes 5 ok 3")]
    [InlineData("remove_articles", "The cat ate a mouse and an apple", "  cat ate   mouse and   apple")]
    [InlineData("remove_articles", "Theory and anthem", "Theory and anthem")]
    [InlineData("last_integer", "83 - 6 = 77.", "77")]
    [InlineData("last_integer", "It is -12, not 5 or -3", "-3")]
    [InlineData("last_integer", "no digits here", "")]
    [InlineData("number", "77.0", "77")]
    [InlineData("number", "1,000", "1000")]
    [InlineData("number", "It costs 1,234,567.50 or +3 or 0.50 or -0.0", "It costs 1234567.5 or 3 or 0.5 or 0")]
    [InlineData("number", "1,2,3 and 007", "1,2,3 and 7")]
    [InlineData("number", "83 - 6 = 77.", "83 - 6 = 77.")]
    public void Normalize_OneStep_GivesTheExpectedText(string step, string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Parse([step]).Normalize(input));
    }

    [Fact]
    public void Normalize_SquadSteps_MakeCaseArticlesPunctuationAndSpacingIrrelevant()
    {
        var squad = TextNormalizer.Parse(["lowercase", "strip_punctuation", "remove_articles", "collapse_whitespace"]);

        Assert.Equal("eiffel tower", squad.Normalize("  The Eiffel   Tower!"));
        Assert.Equal(squad.Normalize("The Eiffel Tower."), squad.Normalize("eiffel tower"));
    }

    [Fact]
    public void Normalize_StepsRunInTheOrderGiven()
    {
        // number first turns "1,000" into 1000 before last_integer reads it; the other order reads only the "000".
        Assert.Equal("1000", TextNormalizer.Parse(["number", "last_integer"]).Normalize("about 1,000"));
        Assert.Equal("0", TextNormalizer.Parse(["last_integer", "number"]).Normalize("about 1,000"));
    }

    [Fact]
    public void Normalize_NoSteps_LeavesTheTextAsIs()
    {
        Assert.Equal(" The End. ", TextNormalizer.None.Normalize(" The End. "));
    }

    [Fact]
    public void Parse_UnknownStep_ThrowsListingTheKnownSteps()
    {
        var e = Assert.Throws<ArgumentException>(() => TextNormalizer.Parse(["lowercase", "lower_case"]));

        Assert.Contains("'lower_case'", e.Message);
        Assert.Contains("lowercase, strip, collapse_whitespace, strip_punctuation, remove_articles, last_integer, number", e.Message);
    }

    [Fact]
    public void ToString_ListsTheStepNames()
    {
        Assert.Equal("[lowercase, collapse_whitespace]", TextNormalizer.Parse(["lowercase", "collapse_whitespace"]).ToString());
    }
}
