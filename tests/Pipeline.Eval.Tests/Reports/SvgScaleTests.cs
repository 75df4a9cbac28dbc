using Pipeline.Eval.Reports;

namespace Pipeline.Eval.Tests.Reports;

public sealed class SvgScaleTests
{
    [Theory]
    [InlineData(new[] { 0.6, 0.858 }, 0, 1, 0.25)]
    [InlineData(new[] { 0.04, 0.12 }, 0, 0.15, 0.05)]
    [InlineData(new[] { 10.0, 12.5 }, 0, 15, 5)]
    [InlineData(new[] { -0.2, 0.4 }, -0.2, 0.4, 0.2)]
    [InlineData(new[] { 0.0, 0.0 }, 0, 1, 0.25)]
    [InlineData(new[] { 0.3 }, 0, 0.3, 0.1)]
    public void Fit_Values_IncludesZeroAndRoundsOutToANiceStep(double[] values, double min, double max, double step)
    {
        var scale = SvgScale.Fit(values, 100, 500);

        Assert.Equal((min, max, step), (Math.Round(scale.Min, 12), Math.Round(scale.Max, 12), Math.Round(scale.Step, 12)));
    }

    [Fact]
    public void X_DomainEnds_MapOntoThePixelEnds()
    {
        var scale = SvgScale.Fit([0.6, 0.858], 100, 500);

        Assert.Equal((100.0, 300.0, 500.0), (scale.X(0), scale.X(0.5), scale.X(1)));
    }
}
