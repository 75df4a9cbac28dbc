using System.Text.Json.Nodes;
using Pipeline.ML.Tokenization;

namespace Pipeline.Activities.Training;

/// <summary>A preference pair the recipe adds to the sampled ones (an anchor built from an SFT row, or a person's), as a
/// conversational line of TRL's format: the prompt's messages, each completion one assistant message, and where the pair
/// came from under "provenance" (the loader ignores it).</summary>
internal sealed record PairLine(string Source, string PromptId, IReadOnlyList<ChatMessage> Prompt, string Chosen, string Rejected)
{
    public JsonObject ToJson() => new()
    {
        ["prompt"] = new JsonArray([.. Prompt.Select(m => (JsonNode)Message(m.Role, m.Content))]),
        ["chosen"] = new JsonArray(Message("assistant", Chosen)),
        ["rejected"] = new JsonArray(Message("assistant", Rejected)),
        ["provenance"] = new JsonObject { ["source"] = Source, ["prompt_id"] = PromptId },
    };

    private static JsonObject Message(string role, string content) => new() { ["role"] = role, ["content"] = content };
}
