namespace Pipeline.ML.Tokenization;

/// <summary>An HF added token: matched verbatim in the text before pre-tokenization, never split or merged.
/// The flags are kept so a loaded tokenizer.json saves back unchanged; matching here is always verbatim
/// (<c>single_word</c>, <c>lstrip</c>, <c>rstrip</c> are not applied).</summary>
public sealed record AddedToken(
    int Id,
    string Content,
    bool Special = true,
    bool SingleWord = false,
    bool Lstrip = false,
    bool Rstrip = false,
    bool Normalized = false);
