using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Data;

/// <summary>How <see cref="PreferenceDataset"/> tokenizes and truncates pairs; the names follow TRL's <c>DPOConfig</c>.</summary>
public sealed record PreferenceDataOptions
{
    /// <summary>Longest prompt in tokens (<c>max_prompt_length</c>); a longer one keeps its LAST tokens, the ones next to
    /// the completion. Null: no limit. Default 512.</summary>
    public int? MaxPromptLength { get; init; } = 512;

    /// <summary>Longest completion in tokens (<c>max_completion_length</c>); a longer one keeps its first tokens.
    /// Null: no limit. Default null.</summary>
    public int? MaxCompletionLength { get; init; }

    /// <summary>The token that ends a string completion (TRL appends EOS to chosen and rejected); it must be an added
    /// token. Conversational completions end with the template's &lt;|im_end|&gt; anyway. Default "&lt;|im_end|&gt;".</summary>
    public string EosToken { get; init; } = ChatTemplate.ImEnd;

    public void Validate()
    {
        if (MaxPromptLength is < 1)
        {
            throw new ArgumentException($"max_prompt_length must be at least 1 or null (no limit), found {MaxPromptLength}");
        }
        if (MaxCompletionLength is < 1)
        {
            throw new ArgumentException($"max_completion_length must be at least 1 or null (no limit), found {MaxCompletionLength}");
        }
        if (string.IsNullOrEmpty(EosToken))
        {
            throw new ArgumentException("eos_token must be a non-empty token");
        }
    }
}
