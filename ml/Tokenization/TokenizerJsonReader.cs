using System.Text.Json;

namespace Pipeline.ML.Tokenization;

/// <summary>Reads an HF tokenizer.json holding a ByteLevel BPE tokenizer. Features that would change encodings and
/// are not implemented here (normalizers, prefix space, dropout, byte fallback, subword affixes, truncation,
/// padding) are rejected rather than silently ignored. Merges load in both encodings HF writes: "a b" strings
/// (tokenizers &lt; 0.20) and ["a","b"] pairs.</summary>
internal static class TokenizerJsonReader
{
    public static ByteLevelBpeTokenizer Read(byte[] json, string source)
    {
        var fields = new TokenizerJsonFields(source);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException($"{source}: field '(root)': not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw fields.Error("(root)", $"expected an object, found {TokenizerJsonFields.Kind(root)}");
            }

            var version = fields.String(root, "version", "version");
            if (version != "1.0")
            {
                throw fields.Error("version", $"expected \"1.0\", found \"{version}\"");
            }

            fields.Null(root, "truncation", "truncation");
            fields.Null(root, "padding", "padding");
            fields.Null(root, "normalizer", "normalizer");
            ReadByteLevel(fields, root, "pre_tokenizer", required: true);
            ReadByteLevel(fields, root, "post_processor", required: false);
            ReadByteLevel(fields, root, "decoder", required: true);
            var added = ReadAddedTokens(fields, root);
            return ReadModel(fields, fields.Object(root, "model", "model"), added);
        }
    }

    private static void ReadByteLevel(TokenizerJsonFields fields, JsonElement root, string name, bool required)
    {
        var element = required ? fields.Object(root, name, name) : fields.OptionalObject(root, name, name);
        if (element is not { } value)
        {
            return;
        }

        var type = fields.String(value, "type", $"{name}.type");
        if (type != "ByteLevel")
        {
            throw fields.Error($"{name}.type", $"expected \"ByteLevel\", found \"{type}\"");
        }

        // HF's ByteLevel defaults: add_prefix_space true, use_regex true. Only the pre-tokenizer's flags change encodings.
        if (name == "pre_tokenizer" && fields.Bool(value, "add_prefix_space", $"{name}.add_prefix_space", true))
        {
            throw fields.Error($"{name}.add_prefix_space", "expected false (a prefix space is not supported)");
        }

        if (name == "pre_tokenizer" && !fields.Bool(value, "use_regex", $"{name}.use_regex", true))
        {
            throw fields.Error($"{name}.use_regex", "expected true (GPT-2's split pattern is always used)");
        }
    }

    private static List<AddedToken> ReadAddedTokens(TokenizerJsonFields fields, JsonElement root)
    {
        var tokens = new List<AddedToken>();
        if (!root.TryGetProperty("added_tokens", out _))
        {
            return tokens;
        }

        var index = 0;
        foreach (var entry in fields.Array(root, "added_tokens", "added_tokens").EnumerateArray())
        {
            var path = $"added_tokens[{index++}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                throw fields.Error(path, $"expected an object, found {TokenizerJsonFields.Kind(entry)}");
            }

            var id = entry.TryGetProperty("id", out var idValue) ? fields.Id(idValue, $"{path}.id") : throw fields.Error($"{path}.id", "is missing");
            var content = fields.String(entry, "content", $"{path}.content");
            if (content.Length == 0)
            {
                throw fields.Error($"{path}.content", "must not be empty");
            }

            if (tokens.Any(t => t.Id == id || t.Content == content))
            {
                throw fields.Error(path, $"duplicate added token (id {id}, content \"{content}\")");
            }

            tokens.Add(new AddedToken(
                id,
                content,
                Special: fields.Bool(entry, "special", $"{path}.special", false),
                SingleWord: fields.Bool(entry, "single_word", $"{path}.single_word", false),
                Lstrip: fields.Bool(entry, "lstrip", $"{path}.lstrip", false),
                Rstrip: fields.Bool(entry, "rstrip", $"{path}.rstrip", false),
                Normalized: fields.Bool(entry, "normalized", $"{path}.normalized", true)));
        }

        return tokens;
    }

    private static ByteLevelBpeTokenizer ReadModel(TokenizerJsonFields fields, JsonElement model, List<AddedToken> added)
    {
        var type = fields.String(model, "type", "model.type");
        if (type != "BPE")
        {
            throw fields.Error("model.type", $"expected \"BPE\", found \"{type}\"");
        }

        fields.Null(model, "dropout", "model.dropout");
        if (!string.IsNullOrEmpty(fields.OptionalString(model, "continuing_subword_prefix", "model.continuing_subword_prefix"))
            || !string.IsNullOrEmpty(fields.OptionalString(model, "end_of_word_suffix", "model.end_of_word_suffix")))
        {
            throw fields.Error("model.continuing_subword_prefix", "subword prefixes and suffixes are not supported by byte-level BPE");
        }

        if (fields.Bool(model, "byte_fallback", "model.byte_fallback", false))
        {
            throw fields.Error("model.byte_fallback", "expected false (byte fallback is not supported)");
        }

        var unk = fields.OptionalString(model, "unk_token", "model.unk_token");
        var ignoreMerges = fields.Bool(model, "ignore_merges", "model.ignore_merges", false);
        fields.Bool(model, "fuse_unk", "model.fuse_unk", false);
        var vocab = ReadVocab(fields, fields.Object(model, "vocab", "model.vocab"));
        if (unk is not null && !vocab.ContainsKey(unk))
        {
            throw fields.Error("model.unk_token", $"\"{unk}\" is not in model.vocab");
        }

        var merges = TokenizerJsonMerges.Read(fields, fields.Array(model, "merges", "model.merges"), vocab);
        return new ByteLevelBpeTokenizer(vocab, merges, added, unk, ignoreMerges);
    }

    private static Dictionary<string, int> ReadVocab(TokenizerJsonFields fields, JsonElement element)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var owners = new Dictionary<int, string>();
        foreach (var property in element.EnumerateObject())
        {
            var path = $"model.vocab[\"{property.Name}\"]";
            var id = fields.Id(property.Value, path);
            if (owners.TryGetValue(id, out var other))
            {
                throw fields.Error(path, $"id {id} is also the id of \"{other}\"");
            }

            if (!vocab.TryAdd(property.Name, id))
            {
                throw fields.Error(path, "duplicate token");
            }

            owners[id] = property.Name;
        }

        return vocab;
    }
}
