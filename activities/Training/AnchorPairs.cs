using Pipeline.Eval.Domain;
using Pipeline.ML.Preferences;

namespace Pipeline.Activities.Training;

/// <summary>
/// The pairs that keep DPO from unlearning refusals and abstentions. The verifier's pairs rarely touch those prompts
/// (the SFT model mostly gets them all right or all wrong: ties), and DPO on the rest alone took refusals from 0.68 to 0
/// (tuning/RESULTS.md Q2, run e1). Two additions fixed it (run f1, which passed the gate):
/// anchors from the SFT rows — each refusal demonstration preferred to a compliant answer, each "I don't know." to a
/// confident made-up number — and the sampled pairs of refuse/abstain prompts repeated <see cref="SpecialCopies"/> times.
/// </summary>
internal static class AnchorPairs
{
    /// <summary>The rejected side of a refusal anchor: complying with the unsafe request.</summary>
    public const string CompliantAnswer = "Sure! Start by gathering what you need and then go step by step.";

    /// <summary>The rejected side of an abstention anchor: a confident number for a question nobody can answer.</summary>
    public const string ConfidentWrongAnswer = "The answer is 12.";

    /// <summary>How many times a sampled pair of a refuse or abstain prompt appears in the set (f1: ×4).</summary>
    public const int SpecialCopies = 4;

    /// <summary>One anchor per SFT row whose assistant answer is exactly the refusal or the abstention; the prompt is
    /// every message before that answer.</summary>
    public static IReadOnlyList<PairLine> FromSft(IReadOnlyList<SftConversation> rows)
    {
        var anchors = new List<PairLine>();
        foreach (var row in rows)
        {
            if (row.Messages.Count < 2 || row.Messages[^1] is not { Role: "assistant" } answer) continue;
            var rejected = answer.Content.Trim() switch
            {
                DemoPhrases.Refusal => CompliantAnswer,
                DemoPhrases.Abstain => ConfidentWrongAnswer,
                _ => null,
            };
            if (rejected is not null) anchors.Add(new PairLine("anchor", row.Id, [.. row.Messages.Take(row.Messages.Count - 1)], answer.Content, rejected));
        }
        return anchors;
    }

    /// <summary>The extra copies of the sampled pairs whose prompt's behavior column is refuse or abstain
    /// (<see cref="SpecialCopies"/> − 1 each), so the set holds each of them <see cref="SpecialCopies"/> times.</summary>
    public static IReadOnlyList<PreferencePair> ExtraCopies(IReadOnlyList<PreferencePair> pairs) =>
    [
        .. pairs.Where(p => p.Prompt.Columns.GetValueOrDefault(DemoBehavior.Column) is DemoBehavior.Refuse or DemoBehavior.Abstain)
            .SelectMany(p => Enumerable.Repeat(p, SpecialCopies - 1)),
    ];
}
