using Pipeline.ML.Data;
using static Pipeline.ML.Tests.Data.ByteTokenizer;

namespace Pipeline.ML.Tests.Data;

public sealed class SftDatasetFormatTests
{
    [Fact]
    public void LoadJsonl_Conversational_LossOnlyOnAssistantContentsAndTheirImEnd()
    {
        const string line =
            """{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi?"}, """ +
            """{"role": "assistant", "content": "Hello."}, {"role": "user", "content": "Bye?"}, {"role": "assistant", "content": "Bye."}]}""";
        var expected = Concat(
            Turn("system", "Be brief.", false), Turn("user", "Hi?", false), Turn("assistant", "Hello.", true),
            Turn("user", "Bye?", false), Turn("assistant", "Bye.", true));

        var example = Assert.Single(Load(line));

        Assert.Equal(expected.Ids, example.InputIds);
        Assert.Equal(expected.Labels, example.Labels);
        Assert.Equal(1, example.Line);
    }

    [Fact]
    public void LoadJsonl_ConversationalWithoutAssistantOnlyLoss_LossOnEveryToken()
    {
        const string line = """{"messages": [{"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Yo."}]}""";
        var ids = Concat(Turn("user", "Hi?", false), Turn("assistant", "Yo.", true)).Ids;

        var example = Assert.Single(Load(line, new SftDataOptions { AssistantOnlyLoss = false }));

        Assert.Equal(ids, example.InputIds);
        Assert.Equal(ids, example.Labels);
    }

    [Fact]
    public void LoadJsonl_PromptCompletion_LossOnCompletionAndEos()
    {
        var example = Assert.Single(Load("""{"prompt": "2+2=", "completion": " 4"}"""));

        Assert.Equal([.. Bytes("2+2="), .. Bytes(" 4"), ImEnd], example.InputIds);
        Assert.Equal([.. Masked(4), .. Bytes(" 4"), ImEnd], example.Labels);
    }

    [Fact]
    public void LoadJsonl_PromptCompletionWithoutCompletionOnlyLoss_LossOnEveryToken()
    {
        var example = Assert.Single(Load("""{"prompt": "2+2=", "completion": " 4"}""", new SftDataOptions { CompletionOnlyLoss = false }));

        Assert.Equal([.. Bytes("2+2= 4"), ImEnd], example.Labels);
    }

    [Fact]
    public void LoadJsonl_CompletionEndingWithEos_EosNotAppendedTwice()
    {
        var example = Assert.Single(Load("""{"prompt": "a", "completion": "b<|im_end|>"}"""));

        Assert.Equal([.. Bytes("ab"), ImEnd], example.InputIds);
    }

    [Fact]
    public void LoadJsonl_OtherEosToken_AppendsThatToken()
    {
        var example = Assert.Single(Load("""{"text": "ab"}""", new SftDataOptions { EosToken = "<|endoftext|>" }));

        Assert.Equal([.. Bytes("ab"), EndOfText], example.InputIds);
    }

    [Fact]
    public void LoadJsonl_ConversationalPromptCompletion_LossOnlyOnCompletionAssistantTokens()
    {
        const string line =
            """{"prompt": [{"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hey."}, {"role": "user", "content": "Name?"}], "completion": """ +
            """[{"role": "assistant", "content": "Bot."}]}""";
        var expected = Concat(Turn("user", "Hi?", false), Turn("assistant", "Hey.", false), Turn("user", "Name?", false), Turn("assistant", "Bot.", true));

        var example = Assert.Single(Load(line));

        Assert.Equal(expected.Ids, example.InputIds);
        Assert.Equal(expected.Labels, example.Labels);
    }

    [Fact]
    public void LoadJsonl_ConversationalPromptCompletionWithoutCompletionOnlyLoss_LossOnEveryAssistantTurn()
    {
        const string line =
            """{"prompt": [{"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Hey."}], "completion": [{"role": "assistant", "content": "Bot."}]}""";
        var expected = Concat(Turn("user", "Hi?", false), Turn("assistant", "Hey.", true), Turn("assistant", "Bot.", true));

        var example = Assert.Single(Load(line, new SftDataOptions { CompletionOnlyLoss = false }));

        Assert.Equal(expected.Labels, example.Labels);
    }

    [Fact]
    public void LoadJsonl_ConversationalPromptCompletionWithoutAssistantOnlyLoss_CompletionAfterGenerationPrompt()
    {
        const string line = """{"prompt": [{"role": "user", "content": "Hi?"}], "completion": [{"role": "assistant", "content": "Yo."}]}""";
        var prompt = Turn("user", "Hi?", false).Ids;
        int[] generationPrompt = [ImStart, .. Bytes("assistant\n")];
        int[] completion = [.. Bytes("Yo."), ImEnd, .. Bytes("\n")];

        var example = Assert.Single(Load(line, new SftDataOptions { AssistantOnlyLoss = false }));

        Assert.Equal([.. prompt, .. generationPrompt, .. completion], example.InputIds);
        Assert.Equal([.. Masked(prompt.Length + generationPrompt.Length), .. completion], example.Labels);
    }

    [Fact]
    public void LoadJsonl_Text_LossOnTextAndEos()
    {
        var example = Assert.Single(Load("""{"text": "héllo"}"""));

        Assert.Equal([.. Bytes("héllo"), ImEnd], example.InputIds);
        Assert.Equal(example.InputIds, example.Labels);
    }

    [Fact]
    public void LoadJsonl_BlankLines_SkippedAndLinesCounted()
    {
        var examples = Load("\n{\"text\": \"a\"}\n   \n\n{\"text\": \"b\"}\n");

        Assert.Equal([2, 5], examples.Select(e => e.Line));
    }

    [Fact]
    public void LoadJsonl_PromptBesideMessages_Conversational()
    {
        // ultrachat_200k's rows: "prompt" and "prompt_id" beside "messages", no "completion".
        const string line = """{"prompt": "Hi?", "prompt_id": "x1", "messages": [{"role": "user", "content": "Hi?"}, {"role": "assistant", "content": "Yo."}]}""";

        var example = Assert.Single(Load(line));

        Assert.Equal(Concat(Turn("user", "Hi?", false), Turn("assistant", "Yo.", true)).Labels, example.Labels);
    }

    [Fact]
    public void LoadJsonl_LongerThanMaxLength_KeepsFirstTokens()
    {
        var example = Assert.Single(Load("""{"text": "abcdefgh"}""", new SftDataOptions { MaxLength = 4 }));

        Assert.Equal(Bytes("abcd"), example.InputIds);
        Assert.Equal(Bytes("abcd"), example.Labels);
    }

    [Fact]
    public void LoadJsonl_DropLongExamples_DropsOnlyLongOnes()
    {
        var examples = Load("{\"text\": \"abcdefgh\"}\n{\"text\": \"abc\"}", new SftDataOptions { MaxLength = 4, DropLongExamples = true });

        Assert.Equal(2, Assert.Single(examples).Line);
    }

    [Fact]
    public void LoadJsonl_TruncationLeavesNoLossToken_ThrowsNamingLine()
    {
        var error = Assert.Throws<ML.IO.DataFormatException>(
            () => Load("{\"prompt\": \"a\", \"completion\": \"b\"}\n{\"prompt\": \"a long prompt\", \"completion\": \"x\"}", new SftDataOptions { MaxLength = 5 }));

        Assert.StartsWith("data.jsonl:2: no token carries loss after truncation to MaxLength 5", error.Message);
    }

    [Fact]
    public void LoadJsonl_EosTokenNotInTokenizer_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Load("""{"text": "a"}""", new SftDataOptions { EosToken = "</s>" }));

        Assert.Contains("EosToken \"</s>\" is not an added token", error.Message);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(null, true)]
    public void Validate_InvalidOptions_Throws(int? maxLength, bool drop)
    {
        Assert.Throws<ArgumentException>(() => new SftDataOptions { MaxLength = maxLength, DropLongExamples = drop }.Validate());
    }

    internal static IReadOnlyList<TokenizedExample> Load(string jsonl, SftDataOptions? options = null) =>
        SftDataset.LoadJsonl(new StringReader(jsonl), "data.jsonl", Instance, options ?? new SftDataOptions());

    private static (int[] Ids, int[] Labels) Concat(params (int[] Ids, int[] Labels)[] parts) =>
        (parts.SelectMany(p => p.Ids).ToArray(), parts.SelectMany(p => p.Labels).ToArray());
}
