using Pipeline.Eval.Metrics;

namespace Pipeline.Eval.Tests.Metrics;

public sealed class CalibrationTests
{
    [Fact]
    public void ExpectedCalibrationError_ThreeFilledBins_MatchesHandComputation()
    {
        // 8 examples in 10 bins:
        //   (0.1, 0.2]: 0.15 ✗, 0.15 ✓        accuracy 1/2, confidence 0.15 → |0.5 − 0.15|  = 0.35,   weight 2/8
        //   (0.6, 0.7]: 0.65 ✓, 0.65 ✓, 0.65 ✗ accuracy 2/3, confidence 0.65 → |2/3 − 0.65| = 1/60,  weight 3/8
        //   (0.9, 1.0]: 0.95 ✓ ×3              accuracy 1,   confidence 0.95 → |1 − 0.95|   = 0.05,   weight 3/8
        // ECE = 2/8·0.35 + 3/8·(1/60) + 3/8·0.05 = 0.0875 + 0.00625 + 0.01875 = 0.1125
        (double, double)[] items = [(0.15, 0), (0.15, 1), (0.65, 1), (0.65, 1), (0.65, 0), (0.95, 1), (0.95, 1), (0.95, 1)];

        Assert.Equal(0.1125, Calibration.ExpectedCalibrationError(items, 10), 12);
    }

    [Fact]
    public void ExpectedCalibrationError_ConfidenceExactlyOneTenth_FallsInTheFirstBin()
    {
        // Together in (0, 0.1]: |1/2 − 0.075| = 0.425. Had 0.1 opened the second bin: 1/2·|1 − 0.05| + 1/2·|0 − 0.1| = 0.525.
        (double, double)[] items = [(0.05, 1), (0.1, 0)];

        Assert.Equal(0.425, Calibration.ExpectedCalibrationError(items, 10), 12);
    }

    [Fact]
    public void ExpectedCalibrationError_JustAboveOneTenth_FallsInTheSecondBin()
    {
        (double, double)[] items = [(0.05, 1), (0.1000001, 0)];

        Assert.Equal(0.5 * 0.95 + 0.5 * 0.1000001, Calibration.ExpectedCalibrationError(items, 10), 12);
    }

    [Fact]
    public void ExpectedCalibrationError_ConfidenceZero_JoinsTheFirstBin()
    {
        // Together: |1/2 − 0.05| = 0.45; apart it would be 1/2·|1 − 0| + 1/2·|0 − 0.1| = 0.55.
        (double, double)[] items = [(0.0, 1), (0.1, 0)];

        Assert.Equal(0.45, Calibration.ExpectedCalibrationError(items, 10), 12);
    }

    [Fact]
    public void ExpectedCalibrationError_ConfidenceOne_JoinsTheLastBin()
    {
        // Together in (0.9, 1]: |1/2 − 0.975| = 0.475; apart it would be 1/2·|1 − 0.95| + 1/2·|0 − 1| = 0.525.
        (double, double)[] items = [(0.95, 1), (1.0, 0)];

        Assert.Equal(0.475, Calibration.ExpectedCalibrationError(items, 10), 12);
    }

    [Fact]
    public void ExpectedCalibrationError_PerfectlyCalibrated_IsZero()
    {
        // 3 of 4 right at 0.75, 1 of 4 right at 0.25.
        (double, double)[] items = [(0.75, 1), (0.75, 1), (0.75, 1), (0.75, 0), (0.25, 1), (0.25, 0), (0.25, 0), (0.25, 0)];

        Assert.Equal(0.0, Calibration.ExpectedCalibrationError(items, 10), 12);
    }

    [Fact]
    public void ExpectedCalibrationError_AllConfidentAllWrong_IsNearlyOne()
    {
        var items = Enumerable.Repeat((0.99, 0.0), 20).ToList();

        Assert.InRange(Calibration.ExpectedCalibrationError(items, 10), 0.99 - 1e-12, 1.0);
    }

    [Fact]
    public void ExpectedCalibrationError_NoItems_IsNaN()
    {
        Assert.True(double.IsNaN(Calibration.ExpectedCalibrationError([], 10)));
    }
}
