using Pipeline.Eval.Results;

namespace Pipeline.Eval.Metrics;

/// <summary>Expected calibration error (Guo et al. 2017, "On Calibration of Modern Neural Networks"): examples are
/// binned by confidence into M equal-width bins (i−1)/M &lt; p ≤ i/M (p = 0 joins the first), and
/// ECE = Σ_bins (n_bin / n) · |accuracy_bin − mean confidence_bin|.</summary>
public static class Calibration
{
    public const int DefaultBins = 10;

    public static double ExpectedCalibrationError(IReadOnlyList<ExampleResult> examples) =>
        ExpectedCalibrationError(examples.Select(e => (e.Confidence!.Value, e.Scores["correct"])).ToList(), DefaultBins);

    /// <param name="items">(confidence in [0, 1], correctness in [0, 1]) per example.</param>
    public static double ExpectedCalibrationError(IReadOnlyList<(double Confidence, double Correct)> items, int bins)
    {
        if (items.Count == 0)
        {
            return double.NaN;
        }
        var count = new int[bins];
        var confidence = new double[bins];
        var correct = new double[bins];
        foreach (var (p, c) in items)
        {
            // The tolerance keeps a confidence on a bin edge in the bin it closes (0.3 · 10 is 3.0000000000000004 in binary).
            var b = Math.Clamp((int)Math.Ceiling(p * bins - 1e-9) - 1, 0, bins - 1);
            count[b]++;
            confidence[b] += p;
            correct[b] += c;
        }
        var ece = 0.0;
        for (var b = 0; b < bins; b++)
        {
            if (count[b] > 0)
            {
                ece += (double)count[b] / items.Count * Math.Abs(correct[b] / count[b] - confidence[b] / count[b]);
            }
        }
        return ece;
    }
}
