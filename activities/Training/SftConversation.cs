using Pipeline.ML.Tokenization;

namespace Pipeline.Activities.Training;

/// <summary>One conversational SFT row: its id and messages, the last of them the assistant's answer.</summary>
internal sealed record SftConversation(string Id, IReadOnlyList<ChatMessage> Messages);
