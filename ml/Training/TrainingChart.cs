using System.Globalization;
using System.Text;

namespace Pipeline.ML.Training;

/// <summary>
/// A run's loss curves as a standalone SVG (training loss per logged step, eval_loss where evaluated, learning rate
/// on its own scale), so a run can be judged at a glance without a tracking server.
/// </summary>
public static class TrainingChart
{
    private const int Width = 720, Height = 360, Left = 60, Right = 60, Top = 30, Bottom = 40;

    public static string Svg(IReadOnlyList<TrainingLog> history, string title)
    {
        var train = Series(history, "loss");
        var eval = Series(history, "eval_loss");
        var lr = Series(history, "learning_rate");
        var all = train.Concat(eval).ToList();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"18\" font-size=\"14\">{Escape(title)}</text>");
        if (all.Count == 0)
        {
            return svg.Append("<text x=\"60\" y=\"180\">no metrics logged</text></svg>").ToString();
        }
        double x0 = all.Min(p => p.Step), x1 = Math.Max(all.Max(p => p.Step), x0 + 1);
        double y0 = Math.Min(0, all.Min(p => p.Value)), y1 = all.Max(p => p.Value) * 1.05 + 1e-9;
        double X(double step) => Left + (step - x0) / (x1 - x0) * (Width - Left - Right);
        double Y(double v, double lo, double hi) => Height - Bottom - (v - lo) / (hi - lo) * (Height - Top - Bottom);

        // Axes and ticks.
        svg.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#444\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#444\"/>");
        for (var i = 0; i <= 4; i++)
        {
            var v = y0 + (y1 - y0) * i / 4;
            var s = x0 + (x1 - x0) * i / 4;
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{Left - 6}\" y=\"{Y(v, y0, y1) + 4:F1}\" text-anchor=\"end\">{v:G3}</text>" +
                $"<text x=\"{X(s):F1}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\">{s:F0}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\">step</text>");
        Line(svg, train.Select(p => (X(p.Step), Y(p.Value, y0, y1))), "#1f77b4", "loss", 0);
        Line(svg, eval.Select(p => (X(p.Step), Y(p.Value, y0, y1))), "#d62728", "eval_loss", 1);
        if (lr.Count > 0)
        {
            var lrMax = lr.Max(p => p.Value) * 1.05 + 1e-12;
            Line(svg, lr.Select(p => (X(p.Step), Y(p.Value, 0, lrMax))), "#999", $"learning_rate (right, max {lrMax / 1.05:G3})", 2, dashed: true);
        }
        return svg.Append("</svg>").ToString();
    }

    private static List<(double Step, double Value)> Series(IReadOnlyList<TrainingLog> history, string key) =>
        history.Where(h => h.Values.ContainsKey(key) && double.IsFinite(h.Values[key])).Select(h => ((double)h.Step, h.Values[key])).ToList();

    private static void Line(StringBuilder svg, IEnumerable<(double X, double Y)> points, string color, string label, int legendRow, bool dashed = false)
    {
        var pts = points.ToList();
        if (pts.Count == 0)
        {
            return;
        }
        var dash = dashed ? " stroke-dasharray=\"4 3\"" : "";
        svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\"{dash} points=\"");
        foreach (var (x, y) in pts)
        {
            svg.Append(CultureInfo.InvariantCulture, $"{x:F1},{y:F1} ");
        }
        svg.Append("\"/>");
        if (pts.Count == 1)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{pts[0].X:F1}\" cy=\"{pts[0].Y:F1}\" r=\"3\" fill=\"{color}\"/>");
        }
        var ly = Top + 14 * legendRow + 4;
        svg.Append(CultureInfo.InvariantCulture,
            $"<line x1=\"{Width - 250}\" y1=\"{ly}\" x2=\"{Width - 230}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>" +
            $"<text x=\"{Width - 225}\" y=\"{ly + 4}\">{Escape(label)}</text>");
    }

    private static string Escape(string s) => s.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
