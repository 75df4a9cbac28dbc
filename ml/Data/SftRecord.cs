using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Data;

/// <summary>One parsed, validated dataset line, before tokenization. Which members are set depends on
/// <see cref="Format"/>: Text; Prompt and Completion; Messages; or Messages (the prompt) and CompletionMessages.</summary>
internal sealed record SftRecord(SftDataFormat Format)
{
    public string Text { get; init; } = "";

    public string Prompt { get; init; } = "";

    public string Completion { get; init; } = "";

    public IReadOnlyList<ChatMessage> Messages { get; init; } = [];

    public IReadOnlyList<ChatMessage> CompletionMessages { get; init; } = [];
}
