using System.Globalization;

namespace Pipeline.Eval.Reports;

/// <summary>A linear scale from data values to x pixels, its domain widened to include 0 and rounded out to "nice"
/// tick steps (1, 2, 2.5 or 5 × 10^k), so bars start at 0 and their lengths are proportional to their values.</summary>
internal sealed record SvgScale(double Min, double Max, double Step, double Left, double Right)
{
    public static SvgScale Fit(IEnumerable<double> values, double left, double right, int ticks = 4)
    {
        var finite = values.Where(double.IsFinite).ToList();
        var lo = Math.Min(0, finite.Count == 0 ? 0 : finite.Min());
        var hi = Math.Max(0, finite.Count == 0 ? 0 : finite.Max());
        if (hi - lo < 1e-12)
        {
            hi = lo + 1;
        }
        var step = NiceStep((hi - lo) / ticks);
        // The 1e-9 keeps 0.3 / 0.1 = 2.9999999999999996 (or 3.0000000000000004) from adding an empty step.
        return new SvgScale(Math.Floor(lo / step + 1e-9) * step, Math.Ceiling(hi / step - 1e-9) * step, step, left, right);
    }

    public double X(double v) => Left + (v - Min) / (Max - Min) * (Right - Left);

    public IEnumerable<double> Ticks()
    {
        var n = (int)Math.Round((Max - Min) / Step);
        for (var k = 0; k <= n; k++)
        {
            yield return Math.Round((Min + k * Step) / Step) * Step;
        }
    }

    public static string TickLabel(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    private static double NiceStep(double raw)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var f = raw / power;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * power;
    }
}
