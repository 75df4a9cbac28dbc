namespace Pipeline.ML.Tokenization;

/// <summary>One turn of a conversation. Role is a string, as in HF datasets' <c>messages</c> column;
/// <see cref="ChatTemplate"/> accepts "system", "user" and "assistant".</summary>
public sealed record ChatMessage(string Role, string Content);
