using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipeline.ML.Rewards;

/// <summary>
/// A verifier for tasks with a numeric answer: 1 when the last integer in the completion equals the prompt's answer
/// column, else 0 (no integer at all is wrong). The last integer, because an answer that restates its question
/// ("83 - 6 = 77.") ends with the result.
/// </summary>
public sealed partial class LastIntegerReward(string answerColumn = "answer") : IRewardFunction
{
    public string Name => "last_integer";

    public IReadOnlyList<double> Score(IReadOnlyList<RewardInput> inputs) =>
        inputs.Select(i => Matches(i.Completion, ParseAnswer(i)) ? 1.0 : 0.0).ToList();

    /// <summary>The last integer in <paramref name="text"/> (a leading minus counts), or null when there is none.</summary>
    public static long? LastInteger(string text) =>
        LastIntegerSpan(text) is var (start, length)
        && long.TryParse(text.AsSpan(start, length), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>Where that last integer stands in <paramref name="text"/> (sign included), or null when there is none.</summary>
    public static (int Start, int Length)? LastIntegerSpan(string text)
    {
        var matches = Integer().Matches(text);
        return matches.Count == 0 ? null : (matches[^1].Index, matches[^1].Length);
    }

    private static bool Matches(string completion, long answer) => LastInteger(completion) == answer;

    private long ParseAnswer(RewardInput input)
    {
        var raw = input.Column(answerColumn);
        return long.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"prompt '{input.PromptId}': column \"{answerColumn}\" is \"{raw}\"; expected an integer");
    }

    [GeneratedRegex(@"-?\d+")]
    private static partial Regex Integer();
}
