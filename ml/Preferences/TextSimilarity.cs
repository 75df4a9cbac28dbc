using System.Text;

namespace Pipeline.ML.Preferences;

/// <summary>
/// How alike two texts are, for de-duplicating prompts and dropping near-identical completion pairs. Texts are first
/// normalised (Unicode NFKC, lower case, every run of white space one space, trimmed), so case and spacing never make
/// two texts different; similarity is then 1 − Levenshtein(a, b) / max(|a|, |b|) over UTF-16 code units: 1 for equal
/// texts, 0 for texts with nothing in common.
/// </summary>
public static class TextSimilarity
{
    public static string Normalize(string text)
    {
        var folded = text.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var sb = new StringBuilder(folded.Length);
        var space = false;
        foreach (var c in folded)
        {
            if (char.IsWhiteSpace(c))
            {
                space = sb.Length > 0;
                continue;
            }
            if (space)
            {
                sb.Append(' ');
                space = false;
            }
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Normalised similarity of the two texts, in [0, 1].</summary>
    public static double Similarity(string a, string b)
    {
        string x = Normalize(a), y = Normalize(b);
        var longest = Math.Max(x.Length, y.Length);
        return longest == 0 ? 1.0 : 1.0 - (double)Levenshtein(x, y) / longest;
    }

    /// <summary>Whether the similarity reaches <paramref name="threshold"/>. The length difference alone bounds the
    /// distance from below, so most clearly different pairs never pay for the O(|a|·|b|) table.</summary>
    public static bool AtLeast(string a, string b, double threshold)
    {
        string x = Normalize(a), y = Normalize(b);
        var longest = Math.Max(x.Length, y.Length);
        if (longest == 0)
        {
            return true;
        }
        if (1.0 - (double)Math.Abs(x.Length - y.Length) / longest < threshold)
        {
            return false;
        }
        return 1.0 - (double)Levenshtein(x, y) / longest >= threshold;
    }

    /// <summary>Edit distance (insertions, deletions, substitutions of one code unit each), two rows of the table.</summary>
    private static int Levenshtein(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
