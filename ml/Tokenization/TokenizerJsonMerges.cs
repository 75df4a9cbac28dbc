using System.Text.Json;

namespace Pipeline.ML.Tokenization;

/// <summary>Reads <c>model.merges</c> in either HF encoding and checks every token against the vocab, as HF's
/// <c>BpeBuilder</c> does (<c>MergeTokenOutOfVocabulary</c>).</summary>
internal static class TokenizerJsonMerges
{
    public static List<(string Left, string Right)> Read(
        TokenizerJsonFields fields, JsonElement array, IReadOnlyDictionary<string, int> vocab)
    {
        var merges = new List<(string, string)>();
        var index = 0;
        foreach (var entry in array.EnumerateArray())
        {
            var path = $"model.merges[{index++}]";
            var (left, right) = entry.ValueKind switch
            {
                JsonValueKind.String => SplitString(fields, entry.GetString()!, path),
                JsonValueKind.Array => ReadPair(fields, entry, path),
                _ => throw fields.Error(path, $"expected \"a b\" or [\"a\", \"b\"], found {TokenizerJsonFields.Describe(entry)}"),
            };
            foreach (var token in new[] { left, right, left + right })
            {
                if (!vocab.ContainsKey(token))
                {
                    throw fields.Error(path, $"token \"{token}\" is not in model.vocab");
                }
            }

            merges.Add((left, right));
        }

        return merges;
    }

    private static (string, string) SplitString(TokenizerJsonFields fields, string merge, string path)
    {
        var parts = merge.Split(' ');
        return parts is [var left, var right] && left.Length > 0 && right.Length > 0
            ? (left, right)
            : throw fields.Error(path, $"expected two tokens separated by one space, found \"{merge}\"");
    }

    private static (string, string) ReadPair(TokenizerJsonFields fields, JsonElement pair, string path)
    {
        if (pair.GetArrayLength() == 2
            && pair[0] is { ValueKind: JsonValueKind.String } left && pair[1] is { ValueKind: JsonValueKind.String } right
            && left.GetString()!.Length > 0 && right.GetString()!.Length > 0)
        {
            return (left.GetString()!, right.GetString()!);
        }

        throw fields.Error(path, $"expected a pair of two non-empty strings, found {TokenizerJsonFields.Describe(pair)}");
    }
}
