using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Data;

/// <summary>How <see cref="SftDataset"/> tokenizes and masks examples; the names follow TRL's <c>SFTConfig</c>.</summary>
public sealed record SftDataOptions
{
    /// <summary>Longest example in tokens (TRL's <c>max_length</c>); a longer one keeps its first MaxLength tokens, or
    /// is dropped when <see cref="DropLongExamples"/> is set. Null: no limit. Default 1024.</summary>
    public int? MaxLength { get; init; } = 1024;

    /// <summary>Drop examples longer than <see cref="MaxLength"/> instead of truncating them: a truncated answer
    /// teaches the model to stop mid-sentence. Default false (truncate, as TRL does).</summary>
    public bool DropLongExamples { get; init; }

    /// <summary>The token that ends a language-modeling text or a standard completion; it must be a token of the
    /// tokenizer. Default "&lt;|im_end|&gt;", the ChatML end of turn, so a model stops the same way in both forms.</summary>
    public string EosToken { get; init; } = ChatTemplate.ImEnd;

    /// <summary>Prompt–completion examples take loss only on the completion (TRL's <c>completion_only_loss</c>);
    /// false trains on the prompt too. Default true.</summary>
    public bool CompletionOnlyLoss { get; init; } = true;

    /// <summary>Conversational examples take loss only on assistant contents and their end-of-turn token (TRL's
    /// <c>assistant_only_loss</c>); false trains on every token of the rendered conversation. Default true.</summary>
    public bool AssistantOnlyLoss { get; init; } = true;

    public void Validate()
    {
        if (MaxLength is < 1)
        {
            throw new ArgumentException($"MaxLength must be at least 1 or null (no limit), found {MaxLength}");
        }

        if (DropLongExamples && MaxLength is null)
        {
            throw new ArgumentException("DropLongExamples needs a MaxLength to compare against");
        }

        if (string.IsNullOrEmpty(EosToken))
        {
            throw new ArgumentException("EosToken must be a non-empty token");
        }
    }
}
