using Pipeline.Serving.Routing;

namespace Pipeline.Serving.Tests.Routing;

public sealed class ExperimentDefinitionTests
{
    [Theory]
    [InlineData(0.5, 0.4, "sum to")]
    [InlineData(1.2, -0.2, "≥ 0")]
    [InlineData(double.NaN, 1.0, "finite")]
    public void Validate_BadWeights_ThrowsNamingTheProblem(double a, double b, string expected)
    {
        var experiment = new ExperimentDefinition("m", [new ExperimentVariant("x", 1, a), new ExperimentVariant("y", 2, b)], "s");

        var e = Assert.Throws<ArgumentException>(experiment.Validate);

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoVariants_Throws()
    {
        var e = Assert.Throws<ArgumentException>(new ExperimentDefinition("m", [], "s").Validate);

        Assert.Contains("no variants", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DecimalWeightsSummingToOneWithRounding_Passes()
    {
        new ExperimentDefinition("m", [new("a", 1, 0.1), new("b", 2, 0.2), new("c", 3, 0.7)], "s").Validate();
    }
}
