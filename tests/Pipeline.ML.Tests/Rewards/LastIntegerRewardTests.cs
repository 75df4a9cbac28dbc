using Pipeline.ML.Rewards;

namespace Pipeline.ML.Tests.Rewards;

public sealed class LastIntegerRewardTests
{
    private static RewardInput Input(string completion, string answer = "77") =>
        new("p1", "83 - 6 =", completion, new Dictionary<string, string> { ["answer"] = answer });

    [Theory]
    [InlineData("83 - 6 = 77.", 1.0)]
    [InlineData("77", 1.0)]
    [InlineData("83 - 6 = 67.", 0.0)]
    [InlineData("77 is wrong, it is 78", 0.0)]
    [InlineData("no number here", 0.0)]
    [InlineData("", 0.0)]
    public void Score_LastIntegerAgainstTheAnswerColumn(string completion, double expected)
    {
        Assert.Equal([expected], new LastIntegerReward().Score([Input(completion)]));
    }

    [Fact]
    public void Score_NegativeAnswers_CountTheSign()
    {
        Assert.Equal([1.0, 0.0], new LastIntegerReward().Score([Input("3 - 5 = -2", "-2"), Input("3 - 5 = 2", "-2")]));
    }

    [Fact]
    public void Score_MissingOrNonIntegerAnswer_ThrowsNamingThePrompt()
    {
        var missing = new RewardInput("p9", "x", "1", new Dictionary<string, string>());

        Assert.Contains("prompt 'p9' has no column \"answer\"", Assert.Throws<KeyNotFoundException>(() => new LastIntegerReward().Score([missing])).Message);
        Assert.Contains("column \"answer\" is \"seven\"", Assert.Throws<FormatException>(() => new LastIntegerReward().Score([Input("7", "seven")])).Message);
    }
}
