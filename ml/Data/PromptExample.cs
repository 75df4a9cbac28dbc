using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Data;

/// <summary>
/// One prompt to sample completions for (GRPO, preference collection). <see cref="Text"/> is the prompt as the model
/// sees it (a conversational prompt rendered with its generation prompt) and <see cref="Ids"/> its tokens;
/// <see cref="Messages"/> is set for a conversational prompt. <see cref="Columns"/> holds the line's other fields as
/// strings (what reward functions read, e.g. "answer"). <see cref="Id"/> is the line's "id", or "line-N".
/// </summary>
public sealed record PromptExample(
    string Id, string Text, int[] Ids, IReadOnlyList<ChatMessage>? Messages, IReadOnlyDictionary<string, string> Columns, int Line);
