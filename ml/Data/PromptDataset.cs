using System.Text.Json;
using Pipeline.ML.IO;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Data;

/// <summary>
/// Loads prompts from JSONL as TRL's GRPOTrainer reads them: <c>{"prompt": "…"}</c> (standard) or
/// <c>{"prompt": [messages]}</c> (conversational, rendered with the generation prompt), plus any other fields, which are
/// kept as columns for reward functions (strings as they are, other values as their JSON text). An "id" field names
/// the prompt (ids must be unique); without one it is "line-N". A file holds one format. Blank lines are skipped; any
/// other bad line is a <see cref="DataFormatException"/> naming the file, the line and the field.
/// </summary>
public static class PromptDataset
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    public static IReadOnlyList<PromptExample> LoadJsonl(string path, ByteLevelBpeTokenizer tokenizer, int? maxPromptLength = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Load(Utf8Lines.Read(stream, path), path, tokenizer, maxPromptLength);
    }

    /// <param name="source">the name errors give the data, e.g. its file name.</param>
    public static IReadOnlyList<PromptExample> LoadJsonl(TextReader reader, string source, ByteLevelBpeTokenizer tokenizer, int? maxPromptLength = null)
    {
        return Load(Lines(), source, tokenizer, maxPromptLength);

        IEnumerable<string> Lines()
        {
            while (reader.ReadLine() is { } line)
            {
                yield return line;
            }
        }
    }

    /// <summary>Every problem of the file as training would meet it, one "FILE:LINE: …" each; empty when it loads.
    /// <paramref name="rows"/> gets the prompts that did load, for checks of their columns.</summary>
    public static IReadOnlyList<string> Validate(string path, out IReadOnlyList<PromptExample> rows)
    {
        List<PromptExample> loaded = [];
        var problems = DatasetValidation.Collect(path, (lines, problems) => loaded = Load(lines, path, DatasetValidation.Tokenizer, null, problems));
        rows = loaded;
        return problems;
    }

    private static List<PromptExample> Load(
        IEnumerable<string> lines, string source, ByteLevelBpeTokenizer tokenizer, int? maxPromptLength, List<string>? problems = null)
    {
        if (maxPromptLength is < 1)
        {
            throw new ArgumentException($"max_prompt_length must be at least 1 or null (no limit), found {maxPromptLength}");
        }
        var prompts = new List<PromptExample>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        bool? conversational = null;
        var number = 0;
        foreach (var text in lines)
        {
            var line = new DataLine(source, ++number);
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            try
            {
                var prompt = Read(text, line, tokenizer);
                conversational ??= prompt.Messages is not null;
                if (conversational != prompt.Messages is not null)
                {
                    throw line.FieldError("prompt", $"is {(prompt.Messages is null ? "a string" : "a list of messages")} but earlier " +
                        "lines were not; a file holds one format");
                }
                if (!seen.TryAdd(prompt.Id, line.Number))
                {
                    throw line.FieldError("id", $"\"{prompt.Id}\" was already used on line {seen[prompt.Id]} (ids name one prompt each)");
                }
                if (maxPromptLength is { } max && prompt.Ids.Length > max)
                {
                    throw line.FieldError("prompt", $"has {prompt.Ids.Length} tokens, more than max_prompt_length {max}");
                }
                prompts.Add(prompt);
            }
            catch (DataFormatException e) when (problems is not null)
            {
                problems.Add(e.Message);
            }
        }
        return prompts;
    }

    private static PromptExample Read(string json, DataLine line, ByteLevelBpeTokenizer tokenizer)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Strict);
        }
        catch (JsonException e)
        {
            var at = e.BytePositionInLine is { } column ? $" at byte {column + 1}" : "";
            throw line.Error($"not valid JSON{at}: {e.Message.Split(" LineNumber:")[0]}");
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw line.Error($"expected a JSON object per line, found {SftJsonFields.Kind(root)}");
            }
            if (!root.TryGetProperty("prompt", out var prompt))
            {
                throw line.FieldError("prompt", "is missing (each line is one prompt)");
            }
            var columns = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject().Where(p => p.Name != "prompt"))
            {
                columns[property.Name] = property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()!
                    : property.Value.GetRawText();
            }
            var id = columns.TryGetValue("id", out var given) ? given : $"line-{line.Number}";
            if (id.Length == 0)
            {
                throw line.FieldError("id", "is empty");
            }
            if (prompt.ValueKind == JsonValueKind.String)
            {
                var text = SftJsonFields.NonEmptyString(prompt, "prompt", line, "a completion needs something to continue");
                return new PromptExample(id, text, tokenizer.Encode(text), null, columns, line.Number);
            }
            if (prompt.ValueKind != JsonValueKind.Array)
            {
                throw line.FieldError("prompt", $"expected a string or an array of messages, found {SftJsonFields.Kind(prompt)}");
            }
            var messages = SftJsonFields.Messages(prompt, "prompt", line);
            if (messages[^1].Role == "assistant")
            {
                throw line.FieldError($"prompt[{messages.Length - 1}].role", "is \"assistant\"; a prompt ends with the user's (or system's) turn");
            }
            var encoding = ChatTemplate.Encode(tokenizer, messages, addGenerationPrompt: true);
            return new PromptExample(
                id, ChatTemplate.Render(messages, addGenerationPrompt: true), encoding.Ids, messages, columns, line.Number);
        }
    }
}
