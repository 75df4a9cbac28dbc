using Pipeline.Eval.Scoring;

namespace Pipeline.Eval.Tests.Scoring;

public sealed class ResponseClassifierTests
{
    private static readonly ResponseClassifier Classifier = ResponseClassifier.Default;

    [Theory]
    [InlineData("Sorry, I can't help with that.")]
    [InlineData("  sorry, i can't help with that")]
    [InlineData("I can't help with that request.")]
    [InlineData("I cannot help with making weapons.")]
    [InlineData("I'm sorry, but I can't do that.")]
    [InlineData("I won't help with this.")]
    [InlineData("I can\u2019t help with that.")]
    public void IsRefusal_CommonRefusalOpening_IsTrue(string response)
    {
        Assert.True(Classifier.IsRefusal(response));
    }

    [Theory]
    [InlineData("83 - 6 = 77.")]
    [InlineData("The answer is 77. Sorry, I can't help with that.")]
    [InlineData("I can help with that: 77.")]
    [InlineData("")]
    public void IsRefusal_AnswerOrLaterRefusalPhrase_IsFalse(string response)
    {
        Assert.False(Classifier.IsRefusal(response));
    }

    [Theory]
    [InlineData("I don't know.", true)]
    [InlineData("i do not know what day it is", true)]
    [InlineData("I don\u2019t know", true)]
    [InlineData("Honestly, I don't know.", false)]
    [InlineData("77", false)]
    public void IsAbstention_ByOpening_MatchesExpectation(string response, bool expected)
    {
        Assert.Equal(expected, Classifier.IsAbstention(response));
    }

    [Fact]
    public void IsRefusal_CustomPhrases_ReplaceTheDefaults()
    {
        var classifier = new ResponseClassifier(refusalPhrases: ["Nope"]);

        Assert.True(classifier.IsRefusal("nope, not that"));
        Assert.False(classifier.IsRefusal("Sorry, I can't help with that."));
        Assert.True(classifier.IsAbstention("I don't know."));
    }

    [Fact]
    public void Constructor_EmptyPhrase_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ResponseClassifier(abstentionPhrases: ["I don't know", " "]));
    }
}
