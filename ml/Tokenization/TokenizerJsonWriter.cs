using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.ML.Tokenization;

/// <summary>Writes the fields HF <c>tokenizers</c> writes for a ByteLevel BPE tokenizer, in its order. Merges use the
/// pair form (<c>["a","b"]</c>) that tokenizers ≥ 0.20 writes; non-ASCII is written unescaped, as serde_json does.</summary>
internal static class TokenizerJsonWriter
{
    public static byte[] Write(ByteLevelBpeTokenizer tokenizer)
    {
        using var stream = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var json = new Utf8JsonWriter(stream, options))
        {
            json.WriteStartObject();
            json.WriteString("version", "1.0");
            json.WriteNull("truncation");
            json.WriteNull("padding");
            WriteAddedTokens(json, tokenizer.AddedTokens);
            json.WriteNull("normalizer");
            WriteByteLevel(json, "pre_tokenizer");
            WriteByteLevel(json, "post_processor");
            WriteByteLevel(json, "decoder");
            WriteModel(json, tokenizer);
            json.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static void WriteAddedTokens(Utf8JsonWriter json, IReadOnlyList<AddedToken> tokens)
    {
        json.WriteStartArray("added_tokens");
        foreach (var token in tokens)
        {
            json.WriteStartObject();
            json.WriteNumber("id", token.Id);
            json.WriteString("content", token.Content);
            json.WriteBoolean("single_word", token.SingleWord);
            json.WriteBoolean("lstrip", token.Lstrip);
            json.WriteBoolean("rstrip", token.Rstrip);
            json.WriteBoolean("normalized", token.Normalized);
            json.WriteBoolean("special", token.Special);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteByteLevel(Utf8JsonWriter json, string name)
    {
        json.WriteStartObject(name);
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", false);
        json.WriteBoolean("trim_offsets", true);
        json.WriteBoolean("use_regex", true);
        json.WriteEndObject();
    }

    private static void WriteModel(Utf8JsonWriter json, ByteLevelBpeTokenizer tokenizer)
    {
        json.WriteStartObject("model");
        json.WriteString("type", "BPE");
        json.WriteNull("dropout");
        if (tokenizer.UnkToken is null)
        {
            json.WriteNull("unk_token");
        }
        else
        {
            json.WriteString("unk_token", tokenizer.UnkToken);
        }

        json.WriteNull("continuing_subword_prefix");
        json.WriteNull("end_of_word_suffix");
        json.WriteBoolean("fuse_unk", false);
        json.WriteBoolean("byte_fallback", false);
        json.WriteBoolean("ignore_merges", tokenizer.IgnoreMerges);
        json.WriteStartObject("vocab");
        foreach (var (token, id) in tokenizer.Vocab.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal))
        {
            json.WriteNumber(token, id);
        }

        json.WriteEndObject();
        json.WriteStartArray("merges");
        foreach (var (left, right) in tokenizer.Merges)
        {
            json.WriteStartArray();
            json.WriteStringValue(left);
            json.WriteStringValue(right);
            json.WriteEndArray();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
