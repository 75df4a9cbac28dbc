using Pipeline.ML.Losses;

namespace Pipeline.ML.Tests.Losses;

public sealed class GrpoAdvantagesTests
{
    [Fact]
    public void Compute_IssueExampleGroup_MatchesHandValuesWithPopulationStd()
    {
        // mean 0.575, population std √(0.1475 / 4) = 0.19203; (r − mean) / (std + 1e-4).
        var a = GrpoAdvantages.Compute([0.8, 0.5, 0.3, 0.7], groupSize: 4);

        Assert.Equal(1.17, a[0], 0.005);
        Assert.Equal(-0.39, a[1], 0.005);
        Assert.Equal(-1.43, a[2], 0.005);
        Assert.Equal(0.65, a[3], 0.005);
        Assert.Equal(0.225 / (Math.Sqrt(0.036875) + 1e-4), a[0], 12);
    }

    [Fact]
    public void Compute_GroupWithEqualRewards_GivesZeroAdvantages()
    {
        var a = GrpoAdvantages.Compute([1, 1, 1, 1, 0, 1, 0, 1], groupSize: 4);

        Assert.All(a[..4], x => Assert.Equal(0.0, x));
        Assert.Equal(0.5 / (0.5 + 1e-4), a[5], 12);
    }

    [Fact]
    public void Compute_GroupsAreIndependent_EachCentredOnItsOwnMean()
    {
        var a = GrpoAdvantages.Compute([0, 1, 10, 12], groupSize: 2);

        Assert.Equal(-a[0], a[1], 12);
        Assert.Equal(-a[2], a[3], 12);
        Assert.Equal(0.5 / (0.5 + 1e-4), a[1], 12);
        Assert.Equal(1 / (1 + 1e-4), a[3], 12);
    }

    [Fact]
    public void Compute_NoScaling_IsTheCentredReward()
    {
        var a = GrpoAdvantages.Compute([0.8, 0.5, 0.3, 0.7], 4, GrpoRewardScaling.None);

        Assert.Equal([0.225, -0.075, -0.275, 0.125], a.Select(x => Math.Round(x, 12)));
    }

    [Fact]
    public void Compute_BatchScaling_DividesEveryGroupByTheBatchStd()
    {
        double[] r = [0, 1, 0, 3];
        var a = GrpoAdvantages.Compute(r, 2, GrpoRewardScaling.Batch);

        var std = GrpoAdvantages.PopulationStd(r, 0, 4);
        Assert.Equal(0.5 / (std + 1e-4), a[1], 12);
        Assert.Equal(1.5 / (std + 1e-4), a[3], 12);
    }

    [Fact]
    public void Compute_RewardsNotAMultipleOfTheGroup_Throws()
    {
        Assert.Throws<ArgumentException>(() => GrpoAdvantages.Compute([1, 2, 3], groupSize: 2));
    }

    [Fact]
    public void GroupStds_ArePopulationStdsPerGroup()
    {
        Assert.Equal([0.5, 0.0], GrpoAdvantages.GroupStds([0, 1, 2, 2], 2));
    }
}
