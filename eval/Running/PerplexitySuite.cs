using Pipeline.Eval.Results;
using Pipeline.Eval.Suites;
using Pipeline.ML.Generation;

namespace Pipeline.Eval.Running;

/// <summary>
/// A perplexity suite: each held-out text's negative log-likelihood under the model, token by token after its first
/// (<c>nll</c> summed, <c>tokens</c> counted), so the suite's perplexity is exp(Σ nll / Σ tokens). A text longer than
/// the model's context is cut to it.
/// </summary>
internal static class PerplexitySuite
{
    public static List<ExampleResult> Run(EvalTarget target, SuiteDefinition suite, string dataset, int? limit, Action<string>? progress)
    {
        var rows = TextRows.Read(dataset);
        if (limit is { } n)
        {
            rows = [.. rows.Take(n)];
        }
        var context = target.Model.Config.MaxPositionEmbeddings;
        var results = new List<ExampleResult>(rows.Count);
        foreach (var chunk in rows.Chunk(64))
        {
            var encoded = chunk.Select(r => target.Tokenizer.Encode(r.Text).Take(context).ToArray()).ToList();
            if (encoded.Select((ids, i) => (ids, i)).FirstOrDefault(x => x.ids.Length < 2) is { ids: not null } shortRow)
            {
                throw new EvalFormatException($"{dataset}:{chunk[shortRow.i].Line}: field 'text': needs at least two tokens to score");
            }
            var logps = CompletionLogProbs.Compute(target.Model, [.. encoded.Select(ids => (ids[..1], ids[1..]))], batchSize: 32);
            for (var i = 0; i < chunk.Length; i++)
            {
                results.Add(new ExampleResult
                {
                    Id = chunk[i].Id,
                    Prompt = chunk[i].Text,
                    Scores = new Dictionary<string, double> { ["nll"] = -logps[i].Sum, ["tokens"] = encoded[i].Length - 1 },
                    SourceLine = chunk[i].Line,
                });
            }
            progress?.Invoke($"{suite.Name}: {results.Count}/{rows.Count} texts");
        }
        return results;
    }
}
