using System.Text.Json.Nodes;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Tests.Tokenization;

public sealed class TokenizerJsonMalformedTests
{
    private static readonly string Valid =
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "fixtures", "tiny-bpe.tokenizer.json"));

    [Fact]
    public void Load_NotJson_NamesFileAndRoot()
    {
        var error = Assert.Throws<TokenizerFormatException>(() => ByteLevelBpeTokenizer.FromJson("{ not json", "bad.json"));

        Assert.StartsWith("bad.json: field '(root)'", error.Message);
    }

    [Theory]
    [InlineData("model", null, "'model': is missing")]
    [InlineData("model.type", "\"WordPiece\"", "'model.type': expected \"BPE\"")]
    [InlineData("model.vocab", "[]", "'model.vocab': expected an object")]
    [InlineData("model.dropout", "0.1", "'model.dropout'")]
    [InlineData("model.byte_fallback", "true", "'model.byte_fallback'")]
    [InlineData("model.merges", "[\"l\"]", "'model.merges[0]': expected two tokens")]
    [InlineData("model.merges", "[\"l q\"]", "'model.merges[0]': token \"q\" is not in model.vocab")]
    [InlineData("model.merges", "[[\"h\", \"d\"]]", "'model.merges[0]': token \"hd\" is not in model.vocab")]
    [InlineData("model.merges", "[[\"h\"]]", "'model.merges[0]': expected a pair")]
    [InlineData("model.merges", "[3]", "'model.merges[0]': expected \"a b\"")]
    [InlineData("added_tokens", "[{\"id\": 15}]", "'added_tokens[0].content': is missing")]
    [InlineData("added_tokens", "[{\"id\": -1, \"content\": \"x\"}]", "'added_tokens[0].id'")]
    [InlineData("pre_tokenizer", "{\"type\": \"Metaspace\"}", "'pre_tokenizer.type': expected \"ByteLevel\"")]
    [InlineData("pre_tokenizer", "{\"type\": \"ByteLevel\"}", "'pre_tokenizer.add_prefix_space'")]
    [InlineData("normalizer", "{\"type\": \"NFC\"}", "'normalizer'")]
    [InlineData("version", "\"2.0\"", "'version'")]
    public void Load_MalformedField_NamesFileAndField(string field, string? replacement, string expected)
    {
        var json = JsonNode.Parse(Valid)!.AsObject();
        var path = field.Split('.');
        var parent = path.SkipLast(1).Aggregate(json, (node, name) => node[name]!.AsObject());
        parent.Remove(path[^1]);
        if (replacement is not null)
        {
            parent[path[^1]] = JsonNode.Parse(replacement);
        }

        var error = Assert.Throws<TokenizerFormatException>(() => ByteLevelBpeTokenizer.FromJson(json.ToJsonString(), "tok.json"));

        Assert.StartsWith("tok.json: field ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Load_DuplicateVocabId_NamesToken()
    {
        var json = JsonNode.Parse(Valid)!.AsObject();
        json["model"]!["vocab"]!["x"] = 3;

        var error = Assert.Throws<TokenizerFormatException>(() => ByteLevelBpeTokenizer.FromJson(json.ToJsonString(), "tok.json"));

        Assert.Contains("model.vocab[\"x\"]", error.Message);
    }
}
