using Pipeline.ML.Data;
using Pipeline.ML.IO;
using static Pipeline.ML.Tests.Data.ByteTokenizer;

namespace Pipeline.ML.Tests.Data;

public sealed class PreferenceDatasetTests
{
    private const string User = """{"role": "user", "content": "Hi?"}""";

    private static IReadOnlyList<PreferenceExample> Load(string text, PreferenceDataOptions? options = null) =>
        PreferenceDataset.LoadJsonl(new StringReader(text), "pairs.jsonl", Instance, options ?? new PreferenceDataOptions());

    [Fact]
    public void LoadJsonl_StandardPair_EncodesPromptAndCompletionsSeparatelyWithEos()
    {
        var pair = Assert.Single(Load("""{"prompt": "2+2=", "chosen": "4", "rejected": "5", "id": 7}"""));

        Assert.Equal(Bytes("2+2="), pair.Prompt);
        Assert.Equal([.. Bytes("4"), ImEnd], pair.Chosen);
        Assert.Equal([.. Bytes("5"), ImEnd], pair.Rejected);
        Assert.Equal(1, pair.Line);
    }

    [Fact]
    public void LoadJsonl_CompletionEndingWithEos_KeepsOneEos()
    {
        var pair = Assert.Single(Load("""{"prompt": "2+2=", "chosen": "4<|im_end|>", "rejected": "5"}"""));

        Assert.Equal([.. Bytes("4"), ImEnd], pair.Chosen);
        Assert.Equal([.. Bytes("5"), ImEnd], pair.Rejected);
    }

    [Fact]
    public void LoadJsonl_ConversationalPair_CompletionsContinueTheGenerationPromptUpToImEnd()
    {
        var line = $$"""{"prompt": [{{User}}], "chosen": [{"role": "assistant", "content": "Yo."}], "rejected": [{"role": "assistant", "content": "No."}]}""";

        var pair = Assert.Single(Load(line));

        var (userIds, _) = Turn("user", "Hi?", trained: false);
        Assert.Equal([.. userIds, ImStart, .. Bytes("assistant\n")], pair.Prompt);
        Assert.Equal([.. Bytes("Yo."), ImEnd], pair.Chosen);
        Assert.Equal([.. Bytes("No."), ImEnd], pair.Rejected);
    }

    [Fact]
    public void LoadJsonl_ImplicitPrompt_SharedMessagesBecomeThePrompt()
    {
        var line = $$"""{"chosen": [{{User}}, {"role": "assistant", "content": "Yo."}], "rejected": [{{User}}, {"role": "assistant", "content": "No."}]}""";
        var explicitLine = $$"""{"prompt": [{{User}}], "chosen": [{"role": "assistant", "content": "Yo."}], "rejected": [{"role": "assistant", "content": "No."}]}""";

        var pair = Assert.Single(Load(line));
        var expected = Assert.Single(Load(explicitLine));

        Assert.Equal(expected.Prompt, pair.Prompt);
        Assert.Equal(expected.Chosen, pair.Chosen);
        Assert.Equal(expected.Rejected, pair.Rejected);
    }

    [Fact]
    public void LoadJsonl_Limits_KeepThePromptsEndAndTheCompletionsStart()
    {
        var options = new PreferenceDataOptions { MaxPromptLength = 2, MaxCompletionLength = 2 };

        var pair = Assert.Single(Load("""{"prompt": "abcd", "chosen": "xyz", "rejected": "xzz"}""", options));

        Assert.Equal(Bytes("cd"), pair.Prompt);
        Assert.Equal(Bytes("xy"), pair.Chosen);
        Assert.Equal(Bytes("xz"), pair.Rejected);
    }

    public static TheoryData<string, string> MalformedLines => new()
    {
        { "{oops", "not valid JSON" },
        { "[1]", "expected a JSON object per line, found an array" },
        { """{"prompt": "a", "rejected": "b"}""", "field 'chosen': is missing" },
        { """{"prompt": "a", "chosen": "b"}""", "field 'rejected': is missing" },
        { """{"prompt": "a", "chosen": "", "rejected": "b"}""", "field 'chosen': is empty" },
        { """{"prompt": "a", "chosen": 1, "rejected": "b"}""", "field 'chosen': expected a string, found a number" },
        { """{"prompt": "", "chosen": "a", "rejected": "b"}""", "field 'prompt': is empty" },
        { """{"prompt": "a", "chosen": "b", "rejected": "b"}""", "field 'rejected': is identical to \"chosen\"" },
        { """{"chosen": "b", "rejected": "c"}""", "field 'prompt': is missing (only conversational pairs" },
        { $$"""{"prompt": [{{User}}], "chosen": "x", "rejected": "y"}""", "field 'chosen': expected an array of messages" },
        { $$"""{"prompt": [{{User}}], "chosen": [{{User}}], "rejected": [{{User}}]}""", "field 'chosen[0].role': expected \"assistant\"" },
        { $$"""{"chosen": [{{User}}, {"role": "assistant", "content": "a"}], "rejected": [{"role": "assistant", "content": "b"}]}""", "field 'rejected': an implicit prompt needs" },
    };

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public void LoadJsonl_MalformedLine_ThrowsNamingFileLineAndField(string line, string expected)
    {
        var error = Assert.Throws<DataFormatException>(() => Load("\n" + line + "\n"));

        Assert.StartsWith("pairs.jsonl:2: ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public void LoadJsonl_TruncationMakesCompletionsEqual_ThrowsNamingTheLimit()
    {
        var error = Assert.Throws<DataFormatException>(
            () => Load("""{"prompt": "a", "chosen": "xy", "rejected": "xz"}""", new PreferenceDataOptions { MaxCompletionLength = 1 }));

        Assert.Contains("pairs.jsonl:1: ", error.Message);
        Assert.Contains("max_completion_length 1", error.Message);
    }
}
