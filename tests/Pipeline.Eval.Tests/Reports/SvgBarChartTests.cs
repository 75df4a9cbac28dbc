using System.Globalization;
using System.Xml.Linq;
using Pipeline.Eval.Reports;

namespace Pipeline.Eval.Tests.Reports;

public sealed class SvgBarChartTests
{
    private static readonly ChartSeries[] Series = [new("baseline", "#aaa"), new("candidate", "#26b")];

    [Fact]
    public void Render_Bars_HaveLengthsProportionalToTheirValues()
    {
        var svg = Render(new ChartPanel("accuracy", [new(0.6), new(0.8)]), new ChartPanel("perplexity", [new(12.5), new(10.0)]));

        var accuracy = Bars(svg, "accuracy");
        var perplexity = Bars(svg, "perplexity");
        Assert.Equal(0.6 / 0.8, W(accuracy[0]) / W(accuracy[1]), 4);
        Assert.Equal(12.5 / 10.0, W(perplexity[0]) / W(perplexity[1]), 4);
        Assert.Equal(X(accuracy[0]), X(accuracy[1])); // both start at 0
    }

    [Fact]
    public void Render_Whiskers_SpanTheIntervalOnTheBarsScale()
    {
        var svg = Render(new ChartPanel("accuracy", [new(0.6, 0.5, 0.7), new(0.8, 0.74, 0.85)]));

        var bars = Bars(svg, "accuracy");
        var whiskers = Panel(svg, "accuracy").Elements("line").Where(l => (string?)l.Attribute("class") == "whisker").ToList();
        Assert.Equal(2, whiskers.Count);
        foreach (var (bar, whisker, (lo, hi)) in bars.Zip(whiskers, new[] { (0.5, 0.7), (0.74, 0.85) }))
        {
            var perUnit = W(bar) / D(bar, "data-value");
            Assert.Equal(X(bar) + lo * perUnit, D(whisker, "x1"), 2);
            Assert.Equal(X(bar) + hi * perUnit, D(whisker, "x2"), 2);
            Assert.Equal(D(bar, "y") + D(bar, "height") / 2, D(whisker, "y1"), 3);
        }
    }

    [Fact]
    public void Render_NegativeValue_DrawsItsBarLeftOfZero()
    {
        var svg = Render(new ChartPanel("reward_margin", [new(-0.2), new(0.4)]));

        var bars = Bars(svg, "reward_margin");
        Assert.Equal(0.5, W(bars[0]) / W(bars[1]), 4);
        Assert.Equal(X(bars[1]), X(bars[0]) + W(bars[0]), 2); // the negative bar ends where the positive one starts: at 0
    }

    [Fact]
    public void Render_Axis_HasNiceTicksFromZero()
    {
        var svg = Render(new ChartPanel("accuracy", [new(0.6, 0.5, 0.7), new(0.858, 0.81, 0.9)]));

        var ticks = Panel(svg, "accuracy").Elements("text").Where(t => (string?)t.Attribute("class") == "tick-label").Select(t => t.Value);
        Assert.Equal(["0", "0.25", "0.5", "0.75", "1"], ticks);
    }

    [Fact]
    public void Render_MissingValue_SaysSoInsteadOfABar()
    {
        var svg = Render(new ChartPanel("accuracy", [null, new(0.8)]));

        Assert.Single(Bars(svg, "accuracy"));
        Assert.Equal("baseline: no value", Panel(svg, "accuracy").Elements("text").Single(t => (string?)t.Attribute("class") == "missing").Value);
    }

    [Fact]
    public void Render_LegendAndValues_AreReadableText()
    {
        var svg = Render(new ChartPanel("accuracy", [new(0.6, 0.5, 0.7), new(0.8)]));

        Assert.Equal(["baseline", "candidate"], svg.Elements("g").Where(g => (string?)g.Attribute("class") == "legend").Select(g => g.Element("text")!.Value));
        Assert.Equal(["baseline: 0.600 [0.500, 0.700]", "candidate: 0.800"],
            Panel(svg, "accuracy").Elements("text").Where(t => (string?)t.Attribute("class") == "value").Select(t => t.Value));
    }

    [Fact]
    public void Render_LabelsWithMarkup_AreEscaped()
    {
        var text = SvgBarChart.Render("<b>title</b> & more", Series, [new ChartPanel("a<script>", [new(1), new(2)])]);

        Assert.DoesNotContain("<script>", text);
        var svg = XElement.Parse(text);
        Assert.Equal("<b>title</b> & more", svg.Element("title")!.Value);
        Assert.NotNull(Panel(svg, "a<script>"));
    }

    private static XElement Render(params ChartPanel[] panels) => XElement.Parse(SvgBarChart.Render("chart", Series, panels));

    private static XElement Panel(XElement svg, string label) =>
        svg.Elements("g").Single(g => (string?)g.Attribute("class") == "panel" && (string?)g.Attribute("data-label") == label);

    private static List<XElement> Bars(XElement svg, string label) =>
        [.. Panel(svg, label).Elements("rect").Where(r => (string?)r.Attribute("class") == "bar")];

    private static double D(XElement e, string attribute) => double.Parse((string)e.Attribute(attribute)!, CultureInfo.InvariantCulture);

    private static double W(XElement bar) => D(bar, "width");

    private static double X(XElement bar) => D(bar, "x");
}
