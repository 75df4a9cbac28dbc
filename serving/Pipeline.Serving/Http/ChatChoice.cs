namespace Pipeline.Serving.Http;

/// <summary>One choice: the assistant message and why generation stopped ("stop" or "length").</summary>
public sealed record ChatChoice(int Index, ChatMessageDto Message, string FinishReason);
