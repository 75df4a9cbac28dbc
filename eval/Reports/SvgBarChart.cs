using System.Globalization;
using System.Net;
using System.Text;
using Pipeline.Eval.Gates;

namespace Pipeline.Eval.Reports;

/// <summary>
/// Draws grouped horizontal bars with confidence whiskers as an inline SVG element: a title, a legend, then one panel
/// per <see cref="ChartPanel"/> (a metric) with its own x axis and ticks, one bar per series starting at 0, a whisker
/// from the interval's lower to upper end, and the numbers as text beside the bars. Rendered here rather than by a
/// JavaScript library so a report is one self-contained file. Meant for inlining in HTML5, which implies the SVG
/// namespace, so the element carries no xmlns (and the page no URL at all).
/// Elements carry classes and data- attributes (<c>rect.bar[data-series][data-value]</c>, <c>line.whisker</c>) so
/// tests and stylesheets can find them.
/// </summary>
public static class SvgBarChart
{
    private const double Width = 800;
    private const double PlotLeft = 170;
    private const double PlotRight = 520;
    private const double BarHeight = 14;
    private const double BarGap = 4;
    private const double AxisHeight = 24;
    private const double PanelGap = 12;
    private const double Top = 48;

    public static string Render(string title, IReadOnlyList<ChartSeries> series, IReadOnlyList<ChartPanel> panels)
    {
        var panelHeight = series.Count * (BarHeight + BarGap) + AxisHeight;
        var height = Top + panels.Count * (panelHeight + PanelGap);
        var svg = new StringBuilder();
        svg.Append($"<svg class=\"chart\" role=\"img\" width=\"{N(Width)}\" height=\"{N(height)}\" viewBox=\"0 0 {N(Width)} {N(height)}\" ")
            .Append("font-family=\"system-ui, sans-serif\" font-size=\"12\">")
            .Append($"<title>{E(title)}</title>")
            .Append($"<text x=\"0\" y=\"16\" font-weight=\"bold\" font-size=\"14\">{E(title)}</text>");
        for (var i = 0; i < series.Count; i++)
        {
            var x = PlotLeft + i * 130;
            svg.Append($"<g class=\"legend\"><rect x=\"{N(x)}\" y=\"26\" width=\"12\" height=\"12\" fill=\"{E(series[i].Color)}\"/>")
                .Append($"<text x=\"{N(x + 18)}\" y=\"36\">{E(series[i].Name)}</text></g>");
        }
        for (var p = 0; p < panels.Count; p++)
        {
            Panel(svg, series, panels[p], Top + p * (panelHeight + PanelGap));
        }
        return svg.Append("</svg>").ToString();
    }

    private static void Panel(StringBuilder svg, IReadOnlyList<ChartSeries> series, ChartPanel panel, double top)
    {
        var values = panel.Values.OfType<ChartValue>().ToList();
        var scale = SvgScale.Fit(values.SelectMany(v => new[] { v.Value, v.Lower ?? v.Value, v.Upper ?? v.Value }), PlotLeft, PlotRight);
        var barsHeight = series.Count * (BarHeight + BarGap);
        svg.Append($"<g class=\"panel\" data-label=\"{E(panel.Label)}\">")
            .Append($"<text x=\"{N(PlotLeft - 10)}\" y=\"{N(top + barsHeight / 2 + 4)}\" text-anchor=\"end\" font-weight=\"bold\">{E(panel.Label)}</text>");
        if (panel.Note is { } note)
        {
            svg.Append($"<text class=\"note\" x=\"{N(PlotLeft - 10)}\" y=\"{N(top + barsHeight / 2 + 18)}\" text-anchor=\"end\" fill=\"#666\" font-size=\"10\">{E(note)}</text>");
        }
        for (var i = 0; i < series.Count; i++)
        {
            var y = top + i * (BarHeight + BarGap);
            if (i < panel.Values.Count && panel.Values[i] is { } v && double.IsFinite(v.Value))
            {
                Bar(svg, series[i], v, scale, y);
            }
            else
            {
                svg.Append($"<text class=\"missing\" x=\"{N(PlotLeft + 4)}\" y=\"{N(y + BarHeight - 3)}\" fill=\"#666\">{E(series[i].Name)}: no value</text>");
            }
        }
        Axis(svg, scale, top, top + barsHeight);
        svg.Append("</g>");
    }

    private static void Bar(StringBuilder svg, ChartSeries s, ChartValue v, SvgScale scale, double y)
    {
        var x0 = scale.X(0);
        var xv = scale.X(v.Value);
        var interval = GateText.Interval(v.Lower, v.Upper);
        var label = (GateText.Number(v.Value) + " " + interval).TrimEnd();
        svg.Append($"<rect class=\"bar\" data-series=\"{E(s.Name)}\" data-value=\"{R(v.Value)}\" x=\"{N(Math.Min(x0, xv))}\" y=\"{N(y)}\" ")
            .Append($"width=\"{N(Math.Abs(xv - x0))}\" height=\"{N(BarHeight)}\" fill=\"{E(s.Color)}\"><title>{E(s.Name)}: {E(label)}</title></rect>");
        if (v.Lower is { } lo && v.Upper is { } hi && double.IsFinite(lo) && double.IsFinite(hi))
        {
            var mid = y + BarHeight / 2;
            var (x1, x2) = (scale.X(lo), scale.X(hi));
            svg.Append($"<line class=\"whisker\" data-series=\"{E(s.Name)}\" x1=\"{N(x1)}\" y1=\"{N(mid)}\" x2=\"{N(x2)}\" y2=\"{N(mid)}\" stroke=\"#222\" stroke-width=\"1.5\"/>");
            foreach (var x in new[] { x1, x2 })
            {
                svg.Append($"<line class=\"cap\" x1=\"{N(x)}\" y1=\"{N(mid - 4)}\" x2=\"{N(x)}\" y2=\"{N(mid + 4)}\" stroke=\"#222\" stroke-width=\"1.5\"/>");
            }
        }
        svg.Append($"<text class=\"value\" x=\"{N(PlotRight + 12)}\" y=\"{N(y + BarHeight - 3)}\">{E(s.Name)}: {E(label)}</text>");
    }

    private static void Axis(StringBuilder svg, SvgScale scale, double top, double y)
    {
        svg.Append($"<line class=\"axis\" x1=\"{N(PlotLeft)}\" y1=\"{N(y)}\" x2=\"{N(PlotRight)}\" y2=\"{N(y)}\" stroke=\"#888\"/>");
        foreach (var t in scale.Ticks())
        {
            var x = scale.X(t);
            svg.Append($"<line class=\"tick\" x1=\"{N(x)}\" y1=\"{N(y)}\" x2=\"{N(x)}\" y2=\"{N(y + 4)}\" stroke=\"#888\"/>")
                .Append($"<text class=\"tick-label\" x=\"{N(x)}\" y=\"{N(y + 16)}\" text-anchor=\"middle\" fill=\"#555\" font-size=\"10\">{SvgScale.TickLabel(t)}</text>");
        }
        if (scale.Min < 0)
        {
            var x0 = scale.X(0);
            svg.Append($"<line class=\"zero\" x1=\"{N(x0)}\" y1=\"{N(top)}\" x2=\"{N(x0)}\" y2=\"{N(y)}\" stroke=\"#444\"/>");
        }
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    // Coordinates to 0.001 px: fine enough that tests can check bar lengths against values.
    private static string N(double v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
