namespace Pipeline.ML.IO;

/// <summary>A dataset file is malformed, or holds something the loader cannot train on. The message names the file,
/// the line, the field, and what was expected against what was found: <c>train.jsonl:12: field 'messages[1].role':
/// expected one of "system", "user", "assistant", found "tool"</c>.</summary>
public sealed class DataFormatException : Exception
{
    public DataFormatException(string message)
        : base(message)
    {
    }

    public DataFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
