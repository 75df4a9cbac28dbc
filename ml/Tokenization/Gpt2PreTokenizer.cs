using System.Text.RegularExpressions;

namespace Pipeline.ML.Tokenization;

/// <summary>GPT-2's split pattern, as HF's ByteLevel pre-tokenizer uses it (<c>use_regex: true</c>). Every character
/// falls in one of the alternatives, so the pieces tile the text exactly. .NET matches UTF-16 code units: a letter
/// outside the BMP (a surrogate pair, category Cs) lands in the punctuation run rather than the letter run as it
/// would in HF; both halves of a pair always stay in one piece, so round-tripping is unaffected.</summary>
internal static partial class Gpt2PreTokenizer
{
    public const string Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static IEnumerable<string> Split(string text)
    {
        for (var match = Regex().Match(text); match.Success; match = match.NextMatch())
        {
            yield return match.Value;
        }
    }

    [GeneratedRegex(Pattern, RegexOptions.CultureInvariant)]
    private static partial Regex Regex();
}
