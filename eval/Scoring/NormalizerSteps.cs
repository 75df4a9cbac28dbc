using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Pipeline.ML.Rewards;

namespace Pipeline.Eval.Scoring;

/// <summary>What each <see cref="NormalizerStep"/> does to a text.</summary>
internal static partial class NormalizerSteps
{
    public static string Apply(NormalizerStep step, string text) => step switch
    {
        NormalizerStep.Lowercase => text.ToLowerInvariant(),
        NormalizerStep.Strip => text.Trim(),
        NormalizerStep.CollapseWhitespace => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)),
        NormalizerStep.StripPunctuation => StripPunctuation(text),
        NormalizerStep.RemoveArticles => Article().Replace(text, " "),
        // The same integer the GRPO verifier reads, so exact_match under [last_integer] agrees with `correct`.
        NormalizerStep.LastInteger => LastIntegerReward.LastInteger(text)?.ToString(CultureInfo.InvariantCulture) ?? "",
        NormalizerStep.Number => Number().Replace(text, m => Canonical(m.Value)),
        _ => throw new ArgumentOutOfRangeException(nameof(step), step, null),
    };

    private static string StripPunctuation(string text)
    {
        var kept = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (!char.IsPunctuation(c) && !char.IsSymbol(c))
            {
                kept.Append(c);
            }
        }
        return kept.ToString();
    }

    private static string Canonical(string number)
    {
        if (!decimal.TryParse(number.Replace(",", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
            CultureInfo.InvariantCulture, out var value))
        {
            return number; // beyond decimal's 28 digits: left as written
        }
        // decimal keeps its scale (77.0 stays 77.0) and a sign on zero; this format drops both.
        return value == 0 ? "0" : value.ToString("0.############################", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\b(a|an|the)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Article();

    // Thousands groups only when every group has three digits, so a list "1,2,3" stays three numbers.
    [GeneratedRegex(@"[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
