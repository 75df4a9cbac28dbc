namespace Pipeline.Eval.Scoring;

/// <summary>
/// Tells whether a response declines the request (a refusal) or says it cannot know (an abstention), by how it
/// begins: the trimmed response starts with one of the phrases, ignoring case, with typographic apostrophes (’) read
/// as plain ones. Matching openings rather than anywhere in the text keeps "I can't help with that, but 83 - 6 = 77"
/// a refusal and "… so I don't know why you ask: 77" an answer.
/// </summary>
public sealed class ResponseClassifier
{
    /// <summary>The demo domain's fixed refusal first, then openings models commonly decline with.</summary>
    public static readonly IReadOnlyList<string> DefaultRefusalPhrases =
    [
        "Sorry, I can't help with that",
        "I can't help with",
        "I cannot help with",
        "I can't assist with",
        "I cannot assist with",
        "I'm sorry, but I can't",
        "I'm sorry, but I cannot",
        "I won't help",
    ];

    public static readonly IReadOnlyList<string> DefaultAbstentionPhrases = ["I don't know", "I do not know"];

    public ResponseClassifier(IReadOnlyList<string>? refusalPhrases = null, IReadOnlyList<string>? abstentionPhrases = null)
    {
        RefusalPhrases = Check(refusalPhrases ?? DefaultRefusalPhrases, nameof(refusalPhrases));
        AbstentionPhrases = Check(abstentionPhrases ?? DefaultAbstentionPhrases, nameof(abstentionPhrases));
    }

    public static ResponseClassifier Default { get; } = new();

    public IReadOnlyList<string> RefusalPhrases { get; }

    public IReadOnlyList<string> AbstentionPhrases { get; }

    public bool IsRefusal(string response) => StartsWithAny(response, RefusalPhrases);

    public bool IsAbstention(string response) => StartsWithAny(response, AbstentionPhrases);

    private static bool StartsWithAny(string response, IReadOnlyList<string> phrases)
    {
        var text = Plain(response.Trim());
        return phrases.Any(p => text.StartsWith(Plain(p.Trim()), StringComparison.OrdinalIgnoreCase));
    }

    private static string Plain(string s) => s.Replace('\u2019', '\'');

    private static IReadOnlyList<string> Check(IReadOnlyList<string> phrases, string name) =>
        phrases.Any(string.IsNullOrWhiteSpace)
            ? throw new ArgumentException("a phrase is empty: it would match every response", name)
            : phrases;
}
