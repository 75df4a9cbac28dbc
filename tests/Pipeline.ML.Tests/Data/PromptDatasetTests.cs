using Pipeline.ML.Data;
using Pipeline.ML.IO;
using Pipeline.ML.Tokenization;
using static Pipeline.ML.Tests.Data.ByteTokenizer;

namespace Pipeline.ML.Tests.Data;

public sealed class PromptDatasetTests
{
    private static IReadOnlyList<PromptExample> Load(string text, int? max = null) =>
        PromptDataset.LoadJsonl(new StringReader(text), "prompts.jsonl", Instance, max);

    [Fact]
    public void LoadJsonl_StandardPrompts_KeepOtherFieldsAsColumns()
    {
        var prompts = Load("""
            {"prompt": "2+2=", "answer": "4", "id": "p1"}

            {"prompt": "3+3=", "answer": 6, "meta": {"a": [1]}}
            """);

        Assert.Equal(2, prompts.Count);
        Assert.Equal(("p1", "2+2=", 1), (prompts[0].Id, prompts[0].Text, prompts[0].Line));
        Assert.Equal(Bytes("2+2="), prompts[0].Ids);
        Assert.Equal("4", prompts[0].Columns["answer"]);
        Assert.Null(prompts[0].Messages);
        Assert.Equal("line-3", prompts[1].Id);
        Assert.Equal("6", prompts[1].Columns["answer"]);
        Assert.Equal("""{"a": [1]}""", prompts[1].Columns["meta"]);
    }

    [Fact]
    public void LoadJsonl_ConversationalPrompt_EndsWithTheGenerationPrompt()
    {
        var prompt = Assert.Single(Load("""{"prompt": [{"role": "user", "content": "Hi?"}]}"""));

        var (userIds, _) = Turn("user", "Hi?", trained: false);
        Assert.Equal([.. userIds, ImStart, .. Bytes("assistant\n")], prompt.Ids);
        Assert.Equal(ChatTemplate.Render(prompt.Messages!, addGenerationPrompt: true), prompt.Text);
    }

    public static TheoryData<string, string> MalformedLines => new()
    {
        { "nope", "not valid JSON" },
        { """{"answer": "1"}""", "field 'prompt': is missing" },
        { """{"prompt": ""}""", "field 'prompt': is empty" },
        { """{"prompt": 5}""", "field 'prompt': expected a string or an array of messages, found a number" },
        { """{"prompt": "a", "id": ""}""", "field 'id': is empty" },
        { """{"prompt": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}""", "field 'prompt[1].role': is \"assistant\"" },
        { """{"prompt": "a", "id": "x"}""", "field 'id': \"x\" was already used on line 1" },
        { """{"prompt": [{"role": "user", "content": "a"}]}""", "field 'prompt': is a list of messages but earlier lines were not" },
        { """{"prompt": "abcdefgh"}""", "field 'prompt': has 8 tokens, more than max_prompt_length 4" },
    };

    [Theory]
    [MemberData(nameof(MalformedLines))]
    public void LoadJsonl_MalformedLine_ThrowsNamingFileLineAndField(string line, string expected)
    {
        var error = Assert.Throws<DataFormatException>(() => Load("""{"prompt": "ab", "id": "x"}""" + "\n" + line, max: 4));

        Assert.StartsWith("prompts.jsonl:2: ", error.Message);
        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }
}
