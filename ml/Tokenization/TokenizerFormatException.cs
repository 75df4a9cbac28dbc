namespace Pipeline.ML.Tokenization;

/// <summary>A tokenizer.json is malformed or uses a feature this tokenizer does not implement. The message names the
/// file (or "&lt;memory&gt;") and the JSON field, e.g. <c>model.merges[3]</c>.</summary>
public sealed class TokenizerFormatException : Exception
{
    public TokenizerFormatException(string message)
        : base(message)
    {
    }

    public TokenizerFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
