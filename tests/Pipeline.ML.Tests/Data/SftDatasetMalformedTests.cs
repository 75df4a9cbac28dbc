using Pipeline.ML.Data;
using Pipeline.ML.IO;

namespace Pipeline.ML.Tests.Data;

public sealed class SftDatasetMalformedTests
{
    private const string User = """{"role": "user", "content": "Hi?"}""";
    private const string Assistant = """{"role": "assistant", "content": "Yo."}""";

    public static TheoryData<string, string> MalformedLines => new()
    {
        { "{not json", "not valid JSON at byte 2: 'n' is an invalid start of a property name" },
        { """{"text": "a", "text": "b"}""", "Duplicate property 'text'" },
        { "[1, 2]", "expected a JSON object per line, found an array" },
        { """{"foo": 1}""", "unknown format: expected \"messages\" (conversational), \"prompt\" and \"completion\", or \"text\" (language modeling); found fields \"foo\"" },
        { "{}", "unknown format: expected \"messages\" (conversational), \"prompt\" and \"completion\", or \"text\" (language modeling); found no fields" },
        { """{"text": 5}""", "field 'text': expected a string, found a number" },
        { """{"text": ""}""", "field 'text': is empty" },
        { """{"messages": "hi"}""", "field 'messages': expected an array of messages, found a string" },
        { """{"messages": []}""", "field 'messages': is empty" },
        { """{"messages": [1]}""", "field 'messages[0]': expected a message object {\"role\", \"content\"}, found a number" },
        { """{"messages": [{"content": "x"}]}""", "field 'messages[0].role': is missing" },
        { """{"messages": [{"role": 1, "content": "x"}]}""", "field 'messages[0].role': expected a string, found a number" },
        { """{"messages": [{"role": "tool", "content": "x"}]}""", "field 'messages[0].role': expected one of \"system\", \"user\", \"assistant\", found \"tool\"" },
        { """{"messages": [{"role": "user"}]}""", "field 'messages[0].content': is missing" },
        { """{"messages": [{"role": "user", "content": null}]}""", "field 'messages[0].content': expected a string, found null" },
        { """{"messages": [{"role": "user", "content": [{"type": "text", "text": "x"}]}]}""", "field 'messages[0].content': expected a string, found an array" },
        { $$"""{"messages": [{{User}}]}""", "field 'messages': has no assistant turn" },
        { $$"""{"messages": [{{User}}, {"role": "assistant", "content": ""}]}""", "field 'messages[1].content': is empty" },
        { $$"""{"messages": [{{User}}, {"role": "assistant", "content": "a<|im_end|>"}]}""", "field 'messages[1].content': contains the chat marker <|im_end|>" },
        { """{"prompt": "x"}""", "field 'completion': is missing" },
        { """{"completion": "x"}""", "field 'prompt': is missing" },
        { """{"prompt": "x", "completion": ""}""", "field 'completion': is empty" },
        { $$"""{"prompt": "x", "completion": [{{Assistant}}]}""", "field 'completion': expected a string, as \"prompt\" is, found an array" },
        { """{"prompt": 3, "completion": "x"}""", "field 'prompt': expected a string or an array of messages, found a number" },
        { $$"""{"prompt": [{{User}}], "completion": "x"}""", "field 'completion': expected an array of messages, as \"prompt\" is, found a string" },
        { $$"""{"prompt": [], "completion": [{{Assistant}}]}""", "field 'prompt': is empty" },
        { $$"""{"prompt": [{{User}}], "completion": []}""", "field 'completion': is empty" },
        { $$"""{"prompt": [{{User}}], "completion": [{{User}}]}""", "field 'completion[0].role': expected \"assistant\"" },
        { $$"""{"prompt": [{{User}}], "completion": [{"role": "assistant", "content": 5}]}""", "field 'completion[0].content': expected a string, found a number" },
    };

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public void LoadJsonl_MalformedLine_ThrowsNamingFileLineAndField(string line, string expected)
    {
        var error = Assert.Throws<DataFormatException>(() => SftDatasetFormatTests.Load("\n" + line + "\n"));

        Assert.StartsWith("data.jsonl:2: ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("\n", error.Message); // one line, no stack trace
    }

    [Fact]
    public void LoadJsonl_MixedFormats_ThrowsNamingBothLines()
    {
        var error = Assert.Throws<DataFormatException>(
            () => SftDatasetFormatTests.Load($$"""{"text": "a"}""" + "\n" + $$"""{"messages": [{{User}}, {{Assistant}}]}"""));

        Assert.Equal("data.jsonl:2: a conversational example, but line 1 was language-modeling; a file holds one format", error.Message);
    }

    [Fact]
    public void LoadJsonl_BadLineInFile_MessageNamesPathAndLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sft-{Guid.NewGuid():N}.jsonl");
        File.WriteAllText(path, "{\"text\": \"a\"}\n{\"text\": \"b\"}\n\n{\"text\": \"c\"}\n{\"text\": [\"d\"]}\n");
        try
        {
            var error = Assert.Throws<DataFormatException>(() => SftDataset.LoadJsonl(path, ByteTokenizer.Instance, new SftDataOptions()));

            Assert.Equal($"{path}:5: field 'text': expected a string, found an array", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadJsonl_InvalidUtf8InFile_ThrowsNamingItsLine()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sft-{Guid.NewGuid():N}.jsonl");
        File.WriteAllBytes(path, [.. "{\"text\": \"a\"}\n{\"text\": \"b\"}\n{\"text\": \""u8, 0xC3, 0x28, .. "\"}\n"u8]);
        try
        {
            var error = Assert.Throws<DataFormatException>(() => SftDataset.LoadJsonl(path, ByteTokenizer.Instance, new SftDataOptions()));

            Assert.StartsWith($"{path}:3: not valid UTF-8", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
