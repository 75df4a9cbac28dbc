using Pipeline.Serving.Routing;

namespace Pipeline.Serving.Tests.Routing;

public sealed class TrafficRouterTests
{
    private static ExperimentDefinition Split(double challenger, string salt = "salt") => new("m",
        [new ExperimentVariant("champion", 2, 1 - challenger), new ExperimentVariant("challenger", 3, challenger)], salt);

    [Fact]
    public void Assign_2000UsersAtWeight02_ChallengerShareWithinFourSigma()
    {
        const int users = 2000;
        const double p = 0.2;
        var experiment = Split(p);

        var challengers = Enumerable.Range(0, users).Count(i => TrafficRouter.Assign(experiment, $"user-{i:D4}").Variant == "challenger");

        var sigma = Math.Sqrt(users * p * (1 - p));
        Assert.InRange(challengers, users * p - 4 * sigma, users * p + 4 * sigma);
    }

    [Fact]
    public void Assign_SameUser_AlwaysGetsTheSameVariant()
    {
        var experiment = Split(0.5);
        for (var i = 0; i < 200; i++)
        {
            var user = $"user-{i:D4}";
            var first = TrafficRouter.Assign(experiment, user);
            Assert.All(Enumerable.Range(0, 5), _ => Assert.Equal(first, TrafficRouter.Assign(experiment, user)));
        }
    }

    [Theory]
    [InlineData(0.0, "champion")]
    [InlineData(1.0, "challenger")]
    public void Assign_WeightZeroOrOne_SendsEveryUserToOneVariant(double challenger, string expected)
    {
        var experiment = Split(challenger);

        Assert.All(Enumerable.Range(0, 500), i => Assert.Equal(expected, TrafficRouter.Assign(experiment, $"u{i}").Variant));
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(expected, TrafficRouter.Assign(experiment, null).Variant));
    }

    [Fact]
    public void Bucket_DifferentSalts_AssignUsersIndependently()
    {
        var moved = Enumerable.Range(0, 1000).Count(i =>
            TrafficRouter.Assign(Split(0.5, "a"), $"u{i}").Variant != TrafficRouter.Assign(Split(0.5, "b"), $"u{i}").Variant);

        Assert.InRange(moved, 400, 600);
    }

    [Fact]
    public void Bucket_AnyInput_IsInUnitInterval()
    {
        Assert.All(Enumerable.Range(0, 1000), i => Assert.InRange(TrafficRouter.Bucket("s", $"u{i}"), 0.0, 0.9999999999999999));
    }
}
