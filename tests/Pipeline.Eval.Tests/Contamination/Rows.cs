using System.Text.Json;

namespace Pipeline.Eval.Tests.Contamination;

/// <summary>JSONL rows in the demo domain's formats, for writing small training and eval files.</summary>
internal static class Rows
{
    /// <summary>An eval row: the question as a one-message prompt, with the verifier's columns.</summary>
    public static string Eval(string id, string question, string answer) => JsonSerializer.Serialize(new
    {
        id,
        prompt = new[] { new { role = "user", content = question } },
        answer,
        behavior = "answer",
    });

    /// <summary>An SFT row: the question and its worked answer.</summary>
    public static string Sft(string id, string question, string reply) => JsonSerializer.Serialize(new
    {
        id,
        messages = new[] { new { role = "user", content = question }, new { role = "assistant", content = reply } },
    });

    /// <summary>"What is A - B?" for a − b, in one of three templates; the last one is n = 8 words long.</summary>
    public static string Question(int a, int b, int template) => (template % 3) switch
    {
        0 => $"What is {a} - {b}?",
        1 => $"Compute {a} minus {b}.",
        _ => $"Could you tell me what is {a} - {b}?",
    };

    /// <summary>n eval rows on operands 50 + i, 7 (ids ev-0 …).</summary>
    public static List<string> EvalFile(int n) =>
        [.. Enumerable.Range(0, n).Select(i => Eval($"ev-{i}", Question(50 + i, 7, i), $"{43 + i}"))];

    /// <summary>n SFT rows on the eval's neighbours (30 … 49 and 80 … 99, minus 7), same templates: a clean split.</summary>
    public static List<string> TrainFile(int n) =>
        [.. Enumerable.Range(0, n).Select(i => (I: i, A: (i % 2 == 0 ? 30 : 80) + i / 2 % 20))
            .Select(r => Sft($"tr-{r.I}", Question(r.A, 7, r.I / 2), $"{r.A} - 7 = {r.A - 7}."))];
}
