using Pipeline.Eval.Contamination;
using Pipeline.Eval.Results;

namespace Pipeline.Eval.Running;

/// <summary>Runs the contamination check once over every suite's dataset and gives each evaluated example its
/// <c>contaminated</c> score (matched by the example's line in the dataset), so contamination_rate is a metric like
/// any other — with an interval, in eval.json, and open to a gate rule.</summary>
internal static class ContaminationScores
{
    public const string FileName = "contamination.json";

    public static ContaminationReport Check(IReadOnlyList<string> trainFiles, IReadOnlyList<string> datasets, string outDir)
    {
        var report = new ContaminationChecker().Check(trainFiles, [.. datasets.Distinct()]);
        Directory.CreateDirectory(outDir);
        report.Save(Path.Combine(outDir, FileName));
        return report;
    }

    public static List<ExampleResult> Add(List<ExampleResult> examples, ContaminationReport report, string dataset)
    {
        var file = report.Eval.First(e => e.File == dataset);
        var byLine = file.Rows.ToDictionary(r => r.Line);
        return [.. examples.Select(e => e with
        {
            Scores = new Dictionary<string, double>(e.Scores)
            {
                ["contaminated"] = e.SourceLine is { } line && byLine.TryGetValue(line, out var row) && row.Contaminated ? 1 : 0,
            },
        })];
    }
}
