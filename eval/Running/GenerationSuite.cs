using System.Diagnostics;
using Pipeline.Eval.Results;
using Pipeline.Eval.Scoring;
using Pipeline.Eval.Suites;
using Pipeline.ML.Data;
using Pipeline.ML.Generation;

namespace Pipeline.Eval.Running;

/// <summary>
/// A generation suite: decode a response to every prompt (greedy unless the suite says otherwise), then score it
/// against the row's <c>behavior</c> (answer, refuse, abstain), <c>answer</c> and <c>reference</c> columns. With ece
/// among the metrics, each response's probability under the model is computed too (its confidence).
/// </summary>
internal static class GenerationSuite
{
    public static List<ExampleResult> Run(EvalTarget target, SuiteDefinition suite, string dataset, int? limit, Action<string>? progress)
    {
        var rows = PromptDataset.LoadJsonl(dataset, target.Tokenizer);
        if (limit is { } n)
        {
            rows = [.. rows.Take(n)];
        }
        var g = suite.Generation;
        var options = new GenerationOptions
        {
            MaxNewTokens = g.MaxNewTokens, Temperature = g.Temperature, TopK = g.TopK, TopP = g.TopP, Seed = g.Seed,
            StopTokenIds = target.StopTokenIds, StopSequences = g.Stop,
        };
        var room = target.Model.Config.MaxPositionEmbeddings - g.MaxNewTokens;
        if (rows.FirstOrDefault(r => r.Ids.Length > room) is { } tooLong)
        {
            throw new EvalFormatException(
                $"{dataset}:{tooLong.Line}: prompt of {tooLong.Ids.Length} tokens + max_new_tokens {g.MaxNewTokens} exceeds the model's {target.Model.Config.MaxPositionEmbeddings} positions");
        }
        var scorer = new ExampleScorer(new ResponseClassifier(suite.RefusalPhrases, suite.AbstainPhrases), TextNormalizer.Parse(suite.Normalizer));
        foreach (var row in rows)
        {
            // A bad behavior or answer column is reported before any decoding, not minutes into the suite.
            try
            {
                _ = ExampleScorer.CheckRow(row.Columns.GetValueOrDefault("behavior"), row.Columns.GetValueOrDefault("answer"));
            }
            catch (ArgumentException e)
            {
                throw new EvalFormatException($"{dataset}:{row.Line}: {e.Message.Split(" (Parameter")[0]}", e);
            }
        }
        var wantConfidence = suite.Metrics.Contains("ece");
        var generator = new Generator(target.Model, target.Tokenizer);
        var results = new List<ExampleResult>(rows.Count);
        var clock = Stopwatch.StartNew();
        long generated = 0;
        foreach (var batch in rows.Chunk(g.BatchSize))
        {
            var outputs = generator.Generate([.. batch.Select(r => r.Ids)], options);
            var confidence = wantConfidence ? Confidence(target, suite, batch, outputs) : null;
            for (var i = 0; i < batch.Length; i++)
            {
                results.Add(Result(batch[i], outputs[i], confidence?[i], scorer, options.StopTokenIds, dataset));
                generated += outputs[i].Tokens.Length;
            }
            progress?.Invoke($"{suite.Name}: {results.Count}/{rows.Count} examples, {generated / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):N0} tok/s");
        }
        return results;
    }

    private static ExampleResult Result(PromptExample row, GenerationResult output, double? confidence, ExampleScorer scorer, IReadOnlyList<int> stopIds, string dataset)
    {
        var response = output.Text ?? "";
        var answer = row.Columns.GetValueOrDefault("answer");
        var behavior = ExampleScorer.ParseBehavior(row.Columns.GetValueOrDefault("behavior"));
        var scores = new Dictionary<string, double>(scorer.Score(response, behavior, answer, row.Columns.GetValueOrDefault("reference")))
        {
            ["response_tokens"] = output.Tokens.Count(t => !stopIds.Contains(t)),
        };
        return new ExampleResult
        {
            Id = row.Id,
            Behavior = row.Columns.GetValueOrDefault("behavior") ?? "answer",
            Prompt = row.Messages is { } m ? m[^1].Content : row.Text,
            Response = response,
            Expected = answer ?? row.Columns.GetValueOrDefault("reference"),
            FinishReason = output.FinishReason.ToString(),
            Confidence = confidence,
            Scores = scores,
            SourceLine = row.Line,
        };
    }

    // The model's confidence in each response it gave, from the log-probs of exactly those tokens.
    private static double[] Confidence(EvalTarget target, SuiteDefinition suite, PromptExample[] batch, IReadOnlyList<GenerationResult> outputs)
    {
        var pairs = batch.Select((r, i) => (r.Ids, outputs[i].Tokens)).ToList();
        var scored = pairs.Where(p => p.Tokens.Length > 0).ToList();
        var logps = CompletionLogProbs.Compute(target.Model, scored, batchSize: 32);
        var result = new double[batch.Length];
        for (int i = 0, j = 0; i < batch.Length; i++)
        {
            result[i] = pairs[i].Tokens.Length > 0 ? ResponseConfidence.Of(suite.Confidence, pairs[i].Tokens, logps[j++].PerToken, target.Tokenizer) : 1.0;
        }
        return result;
    }
}
