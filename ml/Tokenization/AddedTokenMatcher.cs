using System.Text.RegularExpressions;

namespace Pipeline.ML.Tokenization;

/// <summary>Cuts text at added tokens. At one position the longest token wins, as in HF.</summary>
internal sealed class AddedTokenMatcher
{
    private readonly Regex? _pattern;
    private readonly Dictionary<string, int> _ids;

    public AddedTokenMatcher(IEnumerable<AddedToken> tokens)
    {
        _ids = tokens.ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal);
        if (_ids.Count > 0)
        {
            var alternatives = _ids.Keys
                .OrderByDescending(k => k.Length)
                .ThenBy(k => k, StringComparer.Ordinal)
                .Select(Regex.Escape);
            _pattern = new Regex(string.Join('|', alternatives), RegexOptions.CultureInvariant);
        }
    }

    /// <summary>The text as pieces in order: plain text (TokenId -1) or one added token.</summary>
    public IEnumerable<(string Text, int TokenId)> Split(string text)
    {
        if (_pattern is null)
        {
            if (text.Length > 0)
            {
                yield return (text, -1);
            }

            yield break;
        }

        var start = 0;
        for (var match = _pattern.Match(text); match.Success; match = match.NextMatch())
        {
            if (match.Index > start)
            {
                yield return (text[start..match.Index], -1);
            }

            yield return (match.Value, _ids[match.Value]);
            start = match.Index + match.Length;
        }

        if (start < text.Length)
        {
            yield return (text[start..], -1);
        }
    }
}
