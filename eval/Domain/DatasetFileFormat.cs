namespace Pipeline.Eval.Domain;

/// <summary>How a dataset file's rows are laid out; in the manifest as its lowercase name.</summary>
public enum DatasetFileFormat
{
    /// <summary>Raw text: one line a row in a .txt file, or <c>{"id", "text"}</c> rows in a .jsonl file.</summary>
    Text,

    /// <summary>Chat rows: <c>{"id", "messages": [...]}</c>.</summary>
    Messages,

    /// <summary>TRL prompt rows: <c>{"id", "prompt", ...columns}</c>.</summary>
    Prompts,

    /// <summary>Prompt rows with the verifier's columns and, for chat prompts, the reference answer.</summary>
    Eval,

    /// <summary>TRL preference pairs: <c>{"id", "prompt", "chosen", "rejected"}</c>.</summary>
    Preference,
}
