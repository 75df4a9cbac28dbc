using Pipeline.ML.IO;

namespace Pipeline.ML.Preferences;

/// <summary>
/// Labels from people, supplied from outside (<see cref="HumanLabelFile"/> now, a workflow signal later — both give
/// <see cref="HumanLabel"/> records). A label naming a prompt that was not sampled or a completion the prompt does
/// not have, a completion scored twice, or a pair judged twice is a <see cref="DataFormatException"/> at the label's
/// source. Completions nobody labelled stay unlabelled, and their pairs are counted as such.
/// </summary>
public sealed class HumanLabeler(IReadOnlyList<HumanLabel> labels, IReadOnlyDictionary<string, string> provenance) : IPreferenceLabeler
{
    public string Name => "human";

    public IReadOnlyDictionary<string, string> Provenance => provenance;

    public IReadOnlyList<PromptLabels> Label(IReadOnlyList<PromptCandidates> prompts)
    {
        var index = prompts.Select((p, i) => (p.PromptId, i)).ToDictionary(x => x.PromptId, x => x.i, StringComparer.Ordinal);
        var scores = prompts.Select(p => new double?[p.Completions.Count]).ToArray();
        var judgments = prompts.Select(_ => new List<PairJudgment>()).ToArray();
        var seen = new Dictionary<(int Prompt, int A, int B, bool Pair), string>();
        foreach (var label in labels)
        {
            if (!index.TryGetValue(label.PromptId, out var p))
            {
                throw Error(label, "prompt_id", $"\"{label.PromptId}\" is not a prompt of the candidates");
            }
            var count = prompts[p].Completions.Count;
            if (label.IsJudgment)
            {
                var (chosen, rejected) = (Check(label, "chosen", label.Chosen!.Value, count), Check(label, "rejected", label.Rejected!.Value, count));
                Once(seen, (p, Math.Min(chosen, rejected), Math.Max(chosen, rejected), true), label, "rejected", "this pair");
                judgments[p].Add(new PairJudgment(chosen, rejected));
            }
            else
            {
                var completion = Check(label, "completion", label.Completion!.Value, count);
                Once(seen, (p, completion, completion, false), label, "completion", "this completion");
                scores[p][completion] = label.Score;
            }
        }
        return [.. prompts.Select((_, i) => new PromptLabels(scores[i], judgments[i]))];
    }

    private static int Check(HumanLabel label, string field, int value, int count) =>
        value < count ? value : throw Error(label, field, $"is {value}, but prompt '{label.PromptId}' has {count} completions (0..{count - 1})");

    private static void Once(Dictionary<(int, int, int, bool), string> seen, (int, int, int, bool) key, HumanLabel label, string field, string what)
    {
        if (!seen.TryAdd(key, label.Source))
        {
            throw Error(label, field, $"{what} of prompt '{label.PromptId}' was already labelled at {seen[key]}");
        }
    }

    private static DataFormatException Error(HumanLabel label, string field, string message) =>
        new($"{label.Source}: field '{field}': {message}");
}
