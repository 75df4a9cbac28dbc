using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Pipeline.Eval.Reports;
using Pipeline.Eval.Tests.Support;

namespace Pipeline.Eval.Tests.Reports;

public sealed partial class HtmlReportTests : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public void Gate_Page_IsOneSelfContainedFile()
    {
        var s = GateScenario.Build(dir);

        var html = HtmlReport.Gate(s.Decision, s.Candidate, s.Baseline);

        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<style>", html);
        Assert.DoesNotContain("http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Gate_Page_HasOneChartPerSuiteWithBothRuns()
    {
        var s = GateScenario.Build(dir);

        var charts = Charts(HtmlReport.Gate(s.Decision, s.Candidate, s.Baseline));

        Assert.Equal(s.Candidate.Suites.Count, charts.Count);
        foreach (var (chart, suite) in charts.Zip(s.Candidate.Suites))
        {
            Assert.StartsWith(suite.Name + ":", chart.Element("title")!.Value);
            var bars = chart.Descendants("rect").Where(r => (string?)r.Attribute("class") == "bar").ToList();
            Assert.Equal(2 * suite.Metrics.Count, bars.Count);
        }
    }

    [Fact]
    public void Gate_Blocked_ShowsVerdictEveryRuleAndTheFailedReason()
    {
        var s = GateScenario.Build(dir);

        var html = HtmlReport.Gate(s.Decision, s.Candidate, s.Baseline);

        Assert.Contains("<header class=\"banner blocked\"><div class=\"verdict\">BLOCKED</div>", html);
        Assert.All(s.Decision.Rules, r => Assert.Contains(WebUtility.HtmlEncode(r.Name), html));
        Assert.Contains("<h2>Failed rules</h2>", html);
        Assert.Contains(WebUtility.HtmlEncode(s.Decision.Rules.Single(r => !r.Passed).Reason), html);
        Assert.Contains(s.Decision.Policy.Sha256, html);
    }

    [Fact]
    public void Gate_ModelNameWithMarkup_IsEscaped()
    {
        var s = GateScenario.Build(dir, candidateModel: "<script>alert('x')</script> & co");

        var html = HtmlReport.Gate(s.Decision, s.Candidate, s.Baseline);

        Assert.DoesNotContain("<script", html);
        Assert.Contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co", html);
    }

    [Fact]
    public void Run_SingleReport_ChartsEverySuiteWithoutAVerdict()
    {
        var s = GateScenario.Build(dir);

        var html = HtmlReport.Run(s.Candidate);

        var charts = Charts(html);
        Assert.Equal(s.Candidate.Suites.Count, charts.Count);
        Assert.All(charts, c => Assert.Equal(["candidate"], c.Elements("g").Where(g => (string?)g.Attribute("class") == "legend").Select(g => g.Value)));
        Assert.DoesNotContain("BLOCKED", html);
        Assert.DoesNotContain("http", html);
    }

    /// <summary>Each inline SVG, parsed as XML (which also checks that it is well formed).</summary>
    private static List<XElement> Charts(string html) => [.. SvgElement().Matches(html).Select(m => XElement.Parse(m.Value))];

    [GeneratedRegex("<svg .*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();
}
