using System.Text.Json;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Data;

/// <summary>Parses one JSONL line and tells its format apart by its fields, in TRL's order: "prompt" with
/// "completion" first, then "messages", then "text". Other fields (ids, sources, metadata) are ignored, so a line
/// with both "prompt" and "messages" (as in ultrachat_200k) is conversational.</summary>
internal static class SftRecordReader
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    public static SftRecord Read(string json, DataLine line)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Strict);
        }
        catch (JsonException e)
        {
            // The parser's own "LineNumber: 0" would read as a second, contradicting line number: give the column only.
            var reason = e.Message.Split(" LineNumber:")[0];
            var at = e.BytePositionInLine is { } column ? $" at byte {column + 1}" : "";
            throw line.Error($"not valid JSON{at}: {reason}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw line.Error($"expected a JSON object per line, found {SftJsonFields.Kind(root)}");
            }

            var hasPrompt = root.TryGetProperty("prompt", out var prompt);
            var hasCompletion = root.TryGetProperty("completion", out var completion);
            if (hasPrompt && hasCompletion)
            {
                return PromptCompletion(prompt, completion, line);
            }

            if (root.TryGetProperty("messages", out var messages))
            {
                return new SftRecord(SftDataFormat.Conversational) { Messages = Conversation(messages, line) };
            }

            if (root.TryGetProperty("text", out var text))
            {
                var value = SftJsonFields.NonEmptyString(text, "text", line, "a language-modeling example needs text");
                return new SftRecord(SftDataFormat.LanguageModeling) { Text = value };
            }

            if (hasPrompt || hasCompletion)
            {
                throw line.FieldError(hasPrompt ? "completion" : "prompt", "is missing (a prompt-completion example has both)");
            }

            var fields = string.Join(", ", root.EnumerateObject().Select(p => $"\"{p.Name}\""));
            throw line.Error(
                "unknown format: expected \"messages\" (conversational), \"prompt\" and \"completion\", or \"text\" " +
                $"(language modeling); found {(fields.Length == 0 ? "no fields" : "fields " + fields)}");
        }
    }

    private static SftRecord PromptCompletion(JsonElement prompt, JsonElement completion, DataLine line)
    {
        if (prompt.ValueKind == JsonValueKind.String)
        {
            if (completion.ValueKind != JsonValueKind.String)
            {
                throw line.FieldError("completion", $"expected a string, as \"prompt\" is, found {SftJsonFields.Kind(completion)}");
            }

            // An empty prompt is allowed (the example is then plain text); an empty completion has nothing to learn.
            return new SftRecord(SftDataFormat.PromptCompletion)
            {
                Prompt = prompt.GetString()!,
                Completion = SftJsonFields.NonEmptyString(completion, "completion", line, "the completion is what the model learns"),
            };
        }

        if (prompt.ValueKind != JsonValueKind.Array)
        {
            throw line.FieldError("prompt", $"expected a string or an array of messages, found {SftJsonFields.Kind(prompt)}");
        }

        if (completion.ValueKind != JsonValueKind.Array)
        {
            throw line.FieldError("completion", $"expected an array of messages, as \"prompt\" is, found {SftJsonFields.Kind(completion)}");
        }

        var promptMessages = SftJsonFields.Messages(prompt, "prompt", line);
        var completionMessages = SftJsonFields.Messages(completion, "completion", line);

        // The completion continues the prompt's generation prompt ("<|im_start|>assistant\n"), as at inference.
        if (completionMessages[0].Role != "assistant")
        {
            throw line.FieldError(
                "completion[0].role", $"expected \"assistant\" (a completion is the model's turn), found \"{completionMessages[0].Role}\"");
        }

        return new SftRecord(SftDataFormat.ConversationalPromptCompletion) { Messages = promptMessages, CompletionMessages = completionMessages };
    }

    private static ChatMessage[] Conversation(JsonElement messages, DataLine line)
    {
        var conversation = SftJsonFields.Messages(messages, "messages", line);
        if (!conversation.Any(m => m.Role == "assistant"))
        {
            throw line.FieldError("messages", "has no assistant turn (SFT learns the assistant's replies)");
        }

        return conversation;
    }
}
