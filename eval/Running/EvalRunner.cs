using System.Diagnostics;
using Pipeline.Eval.Metrics;
using Pipeline.Eval.Results;
using Pipeline.Eval.Suites;
using Pipeline.ML.Models;

namespace Pipeline.Eval.Running;

/// <summary>
/// Runs suites against one model and writes the run: <c>OUT/examples/SUITE.jsonl</c> (every example, its response
/// and scores) and <c>OUT/eval.json</c> (every metric with its bootstrap interval, the model's hash, the dataset
/// version). With training files (given, or listed in the dataset's manifest) every example is also checked for
/// n-gram overlap with them and each suite reports contamination_rate.
/// </summary>
public static class EvalRunner
{
    public static EvalReport Run(EvalTarget target, IReadOnlyList<SuiteDefinition> suites, EvalRunOptions options)
    {
        var data = DatasetFolder.Open(options.DataDir);
        var trainFiles = options.SkipContamination ? [] : options.TrainFiles.Count > 0 ? options.TrainFiles : data.TrainingFiles;
        var datasets = suites.Select(data.Resolve).ToList();
        var contamination = trainFiles.Count > 0 ? ContaminationScores.Check(trainFiles, datasets, options.OutDir) : null;
        var results = new List<SuiteResult>();
        foreach (var (suite, dataset) in suites.Zip(datasets))
        {
            var clock = Stopwatch.StartNew();
            var limit = new[] { suite.Limit, options.Limit }.Where(l => l is not null).Min();
            var examples = suite.Task switch
            {
                SuiteTask.Generate => GenerationSuite.Run(target, suite, dataset, limit, options.Progress),
                SuiteTask.Perplexity => PerplexitySuite.Run(target, suite, dataset, limit, options.Progress),
                _ => PreferenceSuite.Run(target, suite, dataset, limit, options.Progress),
            };
            var metrics = suite.Metrics.ToList();
            if (contamination is not null)
            {
                examples = ContaminationScores.Add(examples, contamination, dataset);
                if (!metrics.Contains("contamination_rate"))
                {
                    metrics.Add("contamination_rate");
                }
            }
            var examplesFile = $"examples/{suite.Name}.jsonl";
            ExampleFile.Write(Path.Combine(options.OutDir, examplesFile), examples);
            results.Add(new SuiteResult
            {
                Name = suite.Name,
                Axis = suite.Axis,
                Task = suite.Task.ToString().ToLowerInvariant(),
                Dataset = data.Describe(dataset),
                DatasetSha256 = ModelHash.OfFile(dataset),
                Examples = examples.Count,
                ExamplesFile = examplesFile,
                DurationSeconds = Math.Round(clock.Elapsed.TotalSeconds, 3),
                Metrics = metrics.ToDictionary(m => m, m => Bootstrap.Interval(MetricCatalog.Get(m), examples, options.Bootstrap)),
            });
        }
        var report = new EvalReport
        {
            Model = target.ModelDir,
            Adapter = target.AdapterDir,
            ModelSha256 = target.ModelSha256,
            Dataset = data.Reference,
            SuitesFile = options.SuitesFile,
            CreatedAt = options.Clock.GetUtcNow(),
            Bootstrap = options.Bootstrap,
            Suites = results,
        };
        report.Save(options.OutDir);
        return report with { Directory = Path.GetFullPath(options.OutDir) };
    }
}
