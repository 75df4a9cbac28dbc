using Pipeline.Eval.Metrics;
using Pipeline.Eval.Results;

namespace Pipeline.Eval.Tests.Support;

/// <summary>
/// Builds an eval run as <c>pipeline eval run</c> would leave it — eval.json and examples/SUITE.jsonl in a folder — from
/// either metric values given outright (for exact edge cases) or per-example results the metrics are computed from.
/// </summary>
internal sealed class TestRun(string model)
{
    public static readonly BootstrapSettings Settings = new(Samples: 200, Seed: 0, Confidence: 0.95);

    private readonly List<(string Name, string Axis, Dictionary<string, MetricResult> Metrics, List<ExampleResult> Examples)> suites = [];

    public string? Adapter { get; init; }

    public string? ModelSha256 { get; init; }

    public DatasetRef? Dataset { get; init; }

    /// <summary>Sets <c>SUITE/METRIC</c> to a value (the suite is created with axis = its name unless given).</summary>
    public TestRun Metric(string key, double value, double? lower = null, double? upper = null, int n = 100, string? axis = null)
    {
        var slash = key.IndexOf('/');
        Suite(key[..slash], axis).Metrics[key[(slash + 1)..]] = new MetricResult(value, lower, upper, n);
        return this;
    }

    /// <summary>A suite computed from per-example results: each metric with its bootstrap interval, as an eval run does.</summary>
    public TestRun Examples(string suite, IEnumerable<ExampleResult> examples, params string[] metrics)
    {
        var s = Suite(suite, null);
        s.Examples.AddRange(examples);
        foreach (var m in metrics)
        {
            s.Metrics[m] = Bootstrap.Interval(MetricCatalog.Get(m), s.Examples, Settings);
        }
        return this;
    }

    /// <summary>Writes the run into <paramref name="dir"/> and loads it back, as a gate would.</summary>
    public EvalReport Save(string dir)
    {
        foreach (var s in suites)
        {
            ExampleFile.Write(Path.Combine(dir, "examples", s.Name + ".jsonl"), s.Examples);
        }
        new EvalReport
        {
            Model = model,
            Adapter = Adapter,
            ModelSha256 = ModelSha256,
            Dataset = Dataset,
            CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Bootstrap = Settings,
            Suites = [.. suites.Select(s => new SuiteResult
            {
                Name = s.Name,
                Axis = s.Axis,
                Task = "generation",
                Dataset = $"data/{s.Name}.jsonl",
                Examples = s.Examples.Count > 0 ? s.Examples.Count : s.Metrics.Values.Max(m => m.N),
                ExamplesFile = $"examples/{s.Name}.jsonl",
                Metrics = s.Metrics,
            })],
        }.Save(dir);
        return EvalReport.Load(dir);
    }

    /// <summary>Examples scored correct (1) or not (0) by id: <c>Correct("q", true, false)</c> → q0 right, q1 wrong.</summary>
    public static IEnumerable<ExampleResult> Correct(string prefix, params bool[] correct) =>
        correct.Select((c, i) => new ExampleResult { Id = $"{prefix}{i}", Scores = new Dictionary<string, double> { ["correct"] = c ? 1 : 0 } });

    /// <summary><paramref name="n"/> examples, the first <paramref name="right"/> of them correct.</summary>
    public static IEnumerable<ExampleResult> Correct(string prefix, int n, int right) =>
        Correct(prefix, [.. Enumerable.Range(0, n).Select(i => i < right)]);

    private (string Name, string Axis, Dictionary<string, MetricResult> Metrics, List<ExampleResult> Examples) Suite(string name, string? axis)
    {
        var i = suites.FindIndex(s => s.Name == name);
        if (i < 0)
        {
            suites.Add((name, axis ?? name, new Dictionary<string, MetricResult>(), []));
            i = suites.Count - 1;
        }
        return suites[i];
    }
}
