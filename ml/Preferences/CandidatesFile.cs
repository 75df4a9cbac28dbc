using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.ML.Data;
using Pipeline.ML.IO;

namespace Pipeline.ML.Preferences;

/// <summary>
/// Sampled completions as JSONL, one prompt a line, for people to label (and for labelling later without the model):
/// <c>{"prompt_id", "prompt", "columns", "completions": [{"index", "text", "tokens", "finish_reason"}], "provenance":
/// {"model_checkpoint_hash", "sampling"}}</c>. Labels refer to "prompt_id" and a completion's "index".
/// <see cref="Load"/> reads it back strictly: a bad line is a <see cref="DataFormatException"/> naming FILE:LINE, and
/// every line must come from the same checkpoint and sampling config.
/// </summary>
public static class CandidatesFile
{
    public const string FileName = "candidates.jsonl";

    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    /// <summary>The file's bytes: UTF-8, "\n" after every line.</summary>
    public static byte[] ToBytes(CandidateSet set)
    {
        var sb = new StringBuilder();
        foreach (var p in set.Prompts)
        {
            var line = new JsonObject
            {
                ["prompt_id"] = p.PromptId,
                ["prompt"] = PreferenceJson.Prompt(p),
                ["columns"] = PreferenceJson.Strings(p.Columns),
                ["completions"] = new JsonArray([.. p.Completions.Select(c => (JsonNode)new JsonObject
                {
                    ["index"] = c.Index,
                    ["text"] = c.Text,
                    ["tokens"] = c.TokenCount,
                    ["finish_reason"] = PreferenceJson.FinishReason(c.FinishReason),
                })]),
                ["provenance"] = new JsonObject
                {
                    ["model_checkpoint_hash"] = set.ModelCheckpointHash,
                    ["sampling"] = set.Sampling.DeepClone(),
                },
            };
            sb.Append(line.ToJsonString(PreferenceJson.Compact)).Append('\n');
        }
        return new UTF8Encoding(false).GetBytes(sb.ToString());
    }

    public static CandidateSet Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        var prompts = new List<PromptCandidates>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        (string Hash, string Sampling, int Line)? first = null;
        var number = 0;
        foreach (var text in Utf8Lines.Read(stream, path))
        {
            var line = new DataLine(path, ++number);
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }
            using var document = Parse(text, line);
            var root = document.RootElement;
            var prompt = ReadPrompt(root, line);
            if (!ids.TryAdd(prompt.PromptId, line.Number))
            {
                throw line.FieldError("prompt_id", $"\"{prompt.PromptId}\" was already used on line {ids[prompt.PromptId]}");
            }
            var provenance = Field(root, "provenance", line);
            var hash = SftJsonFields.NonEmptyString(Field(provenance, "model_checkpoint_hash", line, "provenance."), "provenance.model_checkpoint_hash", line, "pairs carry it");
            var sampling = Field(provenance, "sampling", line, "provenance.");
            if (sampling.ValueKind != JsonValueKind.Object)
            {
                throw line.FieldError("provenance.sampling", $"expected an object, found {SftJsonFields.Kind(sampling)}");
            }
            first ??= (hash, sampling.GetRawText(), line.Number);
            if (hash != first.Value.Hash || sampling.GetRawText() != first.Value.Sampling)
            {
                throw line.FieldError("provenance", $"differs from line {first.Value.Line}'s (a candidates file comes from one checkpoint and sampling config)");
            }
            prompts.Add(prompt);
        }
        if (first is null)
        {
            throw new DataFormatException($"{path}: holds no prompts");
        }
        return new CandidateSet(prompts, first.Value.Hash, (JsonObject)JsonNode.Parse(first.Value.Sampling)!, []);
    }

    private static PromptCandidates ReadPrompt(JsonElement root, DataLine line)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw line.Error($"expected a JSON object per line, found {SftJsonFields.Kind(root)}");
        }
        var id = SftJsonFields.NonEmptyString(Field(root, "prompt_id", line), "prompt_id", line, "labels refer to it");
        var prompt = Field(root, "prompt", line);
        var messages = prompt.ValueKind == JsonValueKind.String ? null : SftJsonFields.Messages(prompt, "prompt", line);
        var text = messages is null
            ? SftJsonFields.String(prompt, "prompt", line)
            : Tokenization.ChatTemplate.Render(messages, addGenerationPrompt: true);
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("columns", out var cols))
        {
            if (cols.ValueKind != JsonValueKind.Object)
            {
                throw line.FieldError("columns", $"expected an object of strings, found {SftJsonFields.Kind(cols)}");
            }
            foreach (var c in cols.EnumerateObject())
            {
                columns[c.Name] = SftJsonFields.String(c.Value, $"columns.{c.Name}", line);
            }
        }
        return new PromptCandidates(id, text, messages, columns, Completions(Field(root, "completions", line), line));
    }

    private static List<SampledCompletion> Completions(JsonElement value, DataLine line)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw line.FieldError("completions", $"expected an array, found {SftJsonFields.Kind(value)}");
        }
        var completions = new List<SampledCompletion>();
        foreach (var item in value.EnumerateArray())
        {
            var path = $"completions[{completions.Count}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw line.FieldError(path, $"expected an object, found {SftJsonFields.Kind(item)}");
            }
            var index = Field(item, "index", line, path + ".");
            if (!index.TryGetInt32(out var i) || i != completions.Count)
            {
                throw line.FieldError(path + ".index", $"expected {completions.Count} (completions are listed in index order), found {index.GetRawText()}");
            }
            var text = SftJsonFields.String(Field(item, "text", line, path + "."), path + ".text", line);
            var tokens = Field(item, "tokens", line, path + ".");
            var finish = SftJsonFields.String(Field(item, "finish_reason", line, path + "."), path + ".finish_reason", line);
            completions.Add(new SampledCompletion(
                i, text, tokens.ValueKind == JsonValueKind.Number && tokens.TryGetInt32(out var n) && n >= 0 ? n
                    : throw line.FieldError(path + ".tokens", $"expected a count, found {tokens.GetRawText()}"),
                PreferenceJson.ParseFinishReason(finish)
                    ?? throw line.FieldError(path + ".finish_reason", $"expected \"length\", \"stop_token\" or \"stop_sequence\", found \"{finish}\"")));
        }
        return completions.Count >= 2 ? completions : throw line.FieldError("completions", $"has {completions.Count}; a pair needs at least 2");
    }

    private static JsonElement Field(JsonElement obj, string name, DataLine line, string prefix = "") =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value)
            ? value
            : throw line.FieldError(prefix + name, "is missing");

    private static JsonDocument Parse(string json, DataLine line)
    {
        try
        {
            return JsonDocument.Parse(json, Strict);
        }
        catch (JsonException e)
        {
            throw line.Error($"not valid JSON: {e.Message.Split(" LineNumber:")[0]}");
        }
    }
}
