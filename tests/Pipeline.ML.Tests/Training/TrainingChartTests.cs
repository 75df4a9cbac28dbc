using System.Xml.Linq;
using Pipeline.ML.Training;

namespace Pipeline.ML.Tests.Training;

public class TrainingChartTests
{
    [Fact]
    public void Svg_TrainAndEvalLoss_WellFormedWithOneLinePerSeries()
    {
        var history = Enumerable.Range(1, 20).Select(s => new TrainingLog(s, new Dictionary<string, double>
        {
            ["loss"] = 3.0 / s, ["learning_rate"] = 1e-3,
        })).Append(new TrainingLog(20, new Dictionary<string, double> { ["eval_loss"] = 0.4 })).ToList();

        var svg = XDocument.Parse(TrainingChart.Svg(history, "run <1>"));

        var lines = svg.Descendants().Where(e => e.Name.LocalName == "polyline").ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal(20, lines[0].Attribute("points")!.Value.Trim().Split(' ').Length);
        Assert.Contains(svg.Descendants().Where(e => e.Name.LocalName == "text"), t => t.Value == "run <1>");
    }

    [Fact]
    public void Svg_NoMetrics_SaysSo()
    {
        Assert.Contains("no metrics logged", TrainingChart.Svg([], "empty"));
    }
}
