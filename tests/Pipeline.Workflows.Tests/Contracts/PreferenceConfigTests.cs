using Pipeline.Workflows.Contracts;

namespace Pipeline.Workflows.Tests.Contracts;

/// <summary>The preference stage's settings: DPO's own fields are checked, and named, apart from GRPO's.</summary>
public sealed class PreferenceConfigTests
{
    [Fact]
    public void Problems_Defaults_NoneOnEitherBranch()
    {
        Assert.Empty(new PreferenceConfig().Problems());
        Assert.Empty(new PreferenceConfig { Algorithm = PreferenceAlgorithm.Dpo }.Problems());
    }

    [Fact]
    public void Defaults_DpoFields_TheMeasuredRecipeF1AndGrpoUntouched()
    {
        var c = new PreferenceConfig();

        Assert.Equal((5e-4, 60, 5, 0.1, 1.0), (c.DpoLearningRate, c.DpoMaxSteps, c.DpoWarmupSteps, c.Beta, c.RpoAlpha));
        Assert.Equal((3e-4, 48), (c.LearningRate, c.MaxSteps));
    }

    [Theory]
    [InlineData(0, 60, 5, "Preference.DpoLearningRate")]
    [InlineData(5e-4, 0, 0, "Preference.DpoMaxSteps")]
    [InlineData(5e-4, 4, 4, "Preference.DpoWarmupSteps")]
    [InlineData(5e-4, 4, -1, "Preference.DpoWarmupSteps")]
    public void Problems_BadDpoField_NamesIt(double lr, int steps, int warmup, string field)
    {
        var problems = new PreferenceConfig { DpoLearningRate = lr, DpoMaxSteps = steps, DpoWarmupSteps = warmup }.Problems().ToList();

        Assert.Contains(problems, p => p.StartsWith(field, StringComparison.Ordinal));
    }

    [Fact]
    public void Problems_BetaZero_RefusedForDpoOnlyGrpoMayDropItsKlTerm()
    {
        Assert.Contains(new PreferenceConfig { Algorithm = PreferenceAlgorithm.Dpo, Beta = 0 }.Problems(), p => p.StartsWith("Preference.Beta must be > 0 for DPO", StringComparison.Ordinal));
        Assert.Empty(new PreferenceConfig { Beta = 0 }.Problems());
    }
}
