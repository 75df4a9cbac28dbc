using System.Text.Json;
using Pipeline.Eval.Results;
using Pipeline.Eval.Suites;
using Pipeline.ML.Data;
using Pipeline.ML.Generation;
using Pipeline.ML.Rewards;

namespace Pipeline.Eval.Running;

/// <summary>
/// A preference suite: held-out (prompt, chosen, rejected) pairs, each scored by the suite's scorer. An example's
/// <c>margin</c> is score(chosen) − score(rejected) and <c>preferred</c> is 1 when it is positive, ½ on a tie, else 0.
/// The implicit scorer is DPO's reward β·(log π(y|x) − log π_ref(y|x)); its reference is a separate model when one is
/// given, else the evaluated weights with the adapter switched off (the SFT policy DPO started from).
/// </summary>
internal static class PreferenceSuite
{
    public static List<ExampleResult> Run(EvalTarget target, SuiteDefinition suite, string dataset, int? limit, Action<string>? progress)
    {
        var pairs = PreferenceDataset.LoadJsonl(dataset, target.Tokenizer, new PreferenceDataOptions { MaxPromptLength = null });
        if (limit is { } n)
        {
            pairs = [.. pairs.Take(n)];
        }
        var ids = LineIds(dataset);
        var margins = suite.PreferenceScorer == PreferenceScorer.RewardModel ? RewardMargins(target, dataset, pairs) : ImplicitMargins(target, dataset, suite.Beta, pairs);
        progress?.Invoke($"{suite.Name}: {pairs.Count} pairs scored");
        return [.. pairs.Select((p, i) => new ExampleResult
        {
            Id = ids.GetValueOrDefault(p.Line) ?? $"line-{p.Line}",
            Prompt = target.Tokenizer.Decode(p.Prompt),
            Response = target.Tokenizer.Decode(p.Chosen),
            Expected = target.Tokenizer.Decode(p.Rejected),
            Scores = new Dictionary<string, double>
            {
                ["margin"] = margins[i],
                ["preferred"] = margins[i] > 0 ? 1 : margins[i] == 0 ? 0.5 : 0,
            },
            SourceLine = p.Line,
        })];
    }

    private static double[] ImplicitMargins(EvalTarget target, string dataset, double beta, IReadOnlyList<PreferenceExample> pairs)
    {
        if (target.Reference is null && target.AdapterDir is null)
        {
            throw new EvalFormatException(
                $"{dataset}: the implicit reward needs a reference policy: evaluate an adapter (the reference is its base) or name a reference model");
        }
        var rows = pairs.SelectMany(p => new[] { (p.Prompt, p.Chosen), (p.Prompt, p.Rejected) }).ToList();
        var policy = CompletionLogProbs.Compute(target.Model, rows);
        IReadOnlyList<(float[] PerToken, double Sum)> reference;
        if (target.Reference is { } refModel)
        {
            reference = CompletionLogProbs.Compute(refModel, rows);
        }
        else
        {
            target.Model.SetActiveAdapter(null);
            try
            {
                reference = CompletionLogProbs.Compute(target.Model, rows);
            }
            finally
            {
                target.Model.SetActiveAdapter(EvalTarget.AdapterName);
            }
        }
        return [.. pairs.Select((_, i) =>
            beta * ((policy[2 * i].Sum - reference[2 * i].Sum) - (policy[2 * i + 1].Sum - reference[2 * i + 1].Sum)))];
    }

    private static double[] RewardMargins(EvalTarget target, string dataset, IReadOnlyList<PreferenceExample> pairs)
    {
        var rm = target.RewardModel ?? throw new EvalFormatException($"{dataset}: a reward_model preference suite needs a reward model to score with");
        var inputs = pairs.SelectMany(p =>
        {
            var prompt = target.Tokenizer.Decode(p.Prompt);
            var empty = new Dictionary<string, string>();
            return new[]
            {
                new RewardInput($"line-{p.Line}", prompt, target.Tokenizer.Decode(p.Chosen), empty),
                new RewardInput($"line-{p.Line}", prompt, target.Tokenizer.Decode(p.Rejected), empty),
            };
        }).ToList();
        var scores = rm.Score(inputs);
        return [.. pairs.Select((_, i) => scores[2 * i] - scores[2 * i + 1])];
    }

    // PreferenceDataset ignores ids; results are keyed by them, so a gate can pair two runs' examples.
    private static Dictionary<int, string> LineIds(string path)
    {
        var ids = new Dictionary<int, string>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (line.Trim().Length == 0)
            {
                continue;
            }
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("id", out var id))
            {
                ids[lineNo] = id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText();
            }
        }
        return ids;
    }
}
