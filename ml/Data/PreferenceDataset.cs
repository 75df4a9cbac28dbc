using System.Text.Json;
using Pipeline.ML.IO;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Data;

/// <summary>
/// Loads preference pairs from JSONL in TRL's formats: <c>{"prompt", "chosen", "rejected"}</c> with strings (standard:
/// prompt and completions encoded separately, EOS appended to each completion) or with lists of messages
/// (conversational: the prompt rendered with the generation prompt, each completion the template's continuation of
/// it); and the implicit-prompt form, <c>{"chosen", "rejected"}</c> as whole conversations that share every message
/// but the last, whose shared part is the prompt. Other fields (ids, provenance) are ignored. Blank lines are skipped;
/// any other bad line is a <see cref="DataFormatException"/> naming the file, the line and the field.
/// </summary>
public static class PreferenceDataset
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    public static IReadOnlyList<PreferenceExample> LoadJsonl(string path, ByteLevelBpeTokenizer tokenizer, PreferenceDataOptions options)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Load(Utf8Lines.Read(stream, path), path, tokenizer, options);
    }

    /// <param name="source">the name errors give the data, e.g. its file name.</param>
    public static IReadOnlyList<PreferenceExample> LoadJsonl(
        TextReader reader, string source, ByteLevelBpeTokenizer tokenizer, PreferenceDataOptions options) =>
        Load(ReadLines(reader), source, tokenizer, options);

    /// <summary>Every problem of the file as training would meet it, one "FILE:LINE: …" each; empty when it loads.</summary>
    public static IReadOnlyList<string> Validate(string path) =>
        DatasetValidation.Collect(path, (lines, problems) =>
            Load(lines, path, DatasetValidation.Tokenizer, new PreferenceDataOptions { MaxPromptLength = null }, problems));

    private static List<PreferenceExample> Load(
        IEnumerable<string> lines, string source, ByteLevelBpeTokenizer tokenizer, PreferenceDataOptions options, List<string>? problems = null)
    {
        options.Validate();
        var eos = tokenizer.AddedTokens.FirstOrDefault(t => t.Content == options.EosToken)?.Id
            ?? throw new ArgumentException($"eos_token \"{options.EosToken}\" is not an added token of the tokenizer");
        var examples = new List<PreferenceExample>();
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
                examples.Add(Truncate(Encode(text, line, tokenizer, eos), options, line));
            }
            catch (DataFormatException e) when (problems is not null)
            {
                problems.Add(e.Message);
            }
        }
        return examples;
    }

    private static PreferenceExample Encode(string json, DataLine line, ByteLevelBpeTokenizer tokenizer, int eos)
    {
        using var document = Parse(json, line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw line.Error($"expected a JSON object per line, found {SftJsonFields.Kind(root)}");
        }
        var chosen = Required(root, "chosen", line);
        var rejected = Required(root, "rejected", line);
        if (!root.TryGetProperty("prompt", out var prompt))
        {
            return Implicit(chosen, rejected, line, tokenizer);
        }
        if (prompt.ValueKind == JsonValueKind.String)
        {
            var promptIds = tokenizer.Encode(prompt.GetString()!);
            var chosenText = SftJsonFields.NonEmptyString(chosen, "chosen", line, "a completion is what the pair compares");
            var rejectedText = SftJsonFields.NonEmptyString(rejected, "rejected", line, "a completion is what the pair compares");
            return Pair(promptIds, WithEos(tokenizer.Encode(chosenText), eos), WithEos(tokenizer.Encode(rejectedText), eos), line);
        }
        var promptMessages = SftJsonFields.Messages(prompt, "prompt", line);
        return Conversational(
            promptMessages, Completion(chosen, "chosen", line), Completion(rejected, "rejected", line), line, tokenizer);
    }

    /// <summary>TRL's implicit prompt: the conversations' shared messages are the prompt, the differing last turn each completion.</summary>
    private static PreferenceExample Implicit(JsonElement chosen, JsonElement rejected, DataLine line, ByteLevelBpeTokenizer tokenizer)
    {
        if (chosen.ValueKind != JsonValueKind.Array || rejected.ValueKind != JsonValueKind.Array)
        {
            throw line.FieldError("prompt", "is missing (only conversational pairs, whose \"chosen\" and \"rejected\" share " +
                "their first messages, may leave the prompt implicit)");
        }
        var c = SftJsonFields.Messages(chosen, "chosen", line);
        var r = SftJsonFields.Messages(rejected, "rejected", line);
        if (c.Length != r.Length || c.Length < 2 || !c[..^1].SequenceEqual(r[..^1]))
        {
            throw line.FieldError("rejected", "an implicit prompt needs \"chosen\" and \"rejected\" to have the same messages " +
                "except the last (and at least one before it)");
        }
        return Conversational(c[..^1], [c[^1]], [r[^1]], line, tokenizer);
    }

    /// <summary>TRL appends EOS to each completion; one that already ends with it (written out by the data) keeps one.</summary>
    private static int[] WithEos(int[] ids, int eos) => ids.Length > 0 && ids[^1] == eos ? ids : [.. ids, eos];

    private static ChatMessage[] Completion(JsonElement value, string field, DataLine line)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw line.FieldError(field, $"expected an array of messages, as \"prompt\" is, found {SftJsonFields.Kind(value)}");
        }
        var messages = SftJsonFields.Messages(value, field, line);
        return messages[0].Role == "assistant"
            ? messages
            : throw line.FieldError($"{field}[0].role", $"expected \"assistant\" (a completion is the model's turn), found \"{messages[0].Role}\"");
    }

    private static PreferenceExample Conversational(
        ChatMessage[] prompt, ChatMessage[] chosen, ChatMessage[] rejected, DataLine line, ByteLevelBpeTokenizer tokenizer)
    {
        var promptIds = ChatTemplate.Encode(tokenizer, prompt, addGenerationPrompt: true).Ids;
        // The template encodes each turn's header apart from its content, so the prompt's ids are a prefix of the whole
        // conversation's and the completion is what follows them — up to its last <|im_end|>: the newline the template
        // writes after it is never generated (decoding stops at <|im_end|>), so a completion scored later (a reward
        // model's row, a sampled completion's log-prob) ends on the same token as the training rows did.
        var imEnd = tokenizer.AddedTokens.First(t => t.Content == ChatTemplate.ImEnd).Id;
        int[] Continuation(ChatMessage[] completion)
        {
            var ids = ChatTemplate.Encode(tokenizer, [.. prompt, .. completion], addGenerationPrompt: false).Ids[promptIds.Length..];
            return ids[..(Array.LastIndexOf(ids, imEnd) + 1)];
        }
        return Pair(promptIds, Continuation(chosen), Continuation(rejected), line);
    }

    private static PreferenceExample Pair(int[] prompt, int[] chosen, int[] rejected, DataLine line)
    {
        if (prompt.Length == 0)
        {
            throw line.FieldError("prompt", "is empty (the completions need something to continue)");
        }
        if (chosen.AsSpan().SequenceEqual(rejected))
        {
            throw line.FieldError("rejected", "is identical to \"chosen\" (the pair expresses no preference)");
        }
        return new PreferenceExample(prompt, chosen, rejected, line.Number);
    }

    private static PreferenceExample Truncate(PreferenceExample example, PreferenceDataOptions options, DataLine line)
    {
        var prompt = options.MaxPromptLength is { } p && example.Prompt.Length > p ? example.Prompt[^p..] : example.Prompt;
        int[] Cut(int[] c) => options.MaxCompletionLength is { } m && c.Length > m ? c[..m] : c;
        var (chosen, rejected) = (Cut(example.Chosen), Cut(example.Rejected));
        if (chosen.AsSpan().SequenceEqual(rejected))
        {
            throw line.Error($"\"chosen\" and \"rejected\" are identical after truncation to max_completion_length " +
                $"{options.MaxCompletionLength}; raise it");
        }
        return example with { Prompt = prompt, Chosen = chosen, Rejected = rejected };
    }

    private static JsonDocument Parse(string json, DataLine line)
    {
        try
        {
            return JsonDocument.Parse(json, Strict);
        }
        catch (JsonException e)
        {
            var at = e.BytePositionInLine is { } column ? $" at byte {column + 1}" : "";
            throw line.Error($"not valid JSON{at}: {e.Message.Split(" LineNumber:")[0]}");
        }
    }

    private static JsonElement Required(JsonElement root, string field, DataLine line) =>
        root.TryGetProperty(field, out var value)
            ? value
            : throw line.FieldError(field, "is missing (a preference pair has \"prompt\", \"chosen\" and \"rejected\")");

    private static IEnumerable<string> ReadLines(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }
}
