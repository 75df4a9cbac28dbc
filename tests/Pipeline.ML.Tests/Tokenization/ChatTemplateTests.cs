using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Tests.Tokenization;

public sealed class ChatTemplateTests
{
    private static readonly ChatMessage[] Conversation =
    [
        new("system", "You are terse."),
        new("user", "What is 2024?"),
        new("assistant", "A year."),
        new("user", "And 42?"),
        new("assistant", "An answer."),
    ];

    [Fact]
    public void Render_Conversation_ChatMlText()
    {
        var expected =
            "<|im_start|>system\nYou are terse.<|im_end|>\n" +
            "<|im_start|>user\nWhat is 2024?<|im_end|>\n" +
            "<|im_start|>assistant\nA year.<|im_end|>\n" +
            "<|im_start|>user\nAnd 42?<|im_end|>\n" +
            "<|im_start|>assistant\nAn answer.<|im_end|>\n";

        Assert.Equal(expected, ChatTemplate.Render(Conversation, addGenerationPrompt: false));
        Assert.Equal(expected + "<|im_start|>assistant\n", ChatTemplate.Render(Conversation, addGenerationPrompt: true));
    }

    [Fact]
    public void Encode_Conversation_IdsEqualEncodedRendering()
    {
        var tokenizer = TestTokenizers.Trained;

        var encoding = ChatTemplate.Encode(tokenizer, Conversation, addGenerationPrompt: false);

        Assert.Equal(tokenizer.Encode(ChatTemplate.Render(Conversation, addGenerationPrompt: false)), encoding.Ids);
    }

    [Fact]
    public void Encode_Conversation_MaskCoversExactlyAssistantContentsAndTheirImEnd()
    {
        var tokenizer = TestTokenizers.Trained;
        var encoding = ChatTemplate.Encode(tokenizer, Conversation, addGenerationPrompt: false);
        // Expected positions from the pieces: the prompt up to each assistant content, then content + <|im_end|>.
        var firstStart = tokenizer.Encode(ChatTemplate.Render(Conversation[..2], addGenerationPrompt: true)).Length;
        var firstLength = tokenizer.Encode("A year.").Length + 1;
        var secondStart = tokenizer.Encode(ChatTemplate.Render(Conversation[..4], addGenerationPrompt: true)).Length;
        var secondLength = tokenizer.Encode("An answer.").Length + 1;
        var expected = Enumerable.Range(firstStart, firstLength).Concat(Enumerable.Range(secondStart, secondLength));

        var masked = Enumerable.Range(0, encoding.Ids.Length).Where(i => encoding.AssistantMask[i]);

        Assert.Equal(expected, masked);
        Assert.Equal(encoding.Ids.Length, encoding.AssistantMask.Length);
        Assert.Equal("A year.<|im_end|>", tokenizer.Decode(encoding.Ids[firstStart..(firstStart + firstLength)]));
        Assert.Equal("An answer.<|im_end|>", tokenizer.Decode(encoding.Ids[secondStart..(secondStart + secondLength)]));
    }

    [Fact]
    public void Encode_GenerationPrompt_IsPrefixOfTrainingIds()
    {
        var tokenizer = TestTokenizers.Trained;
        var withLeadingNewline = Conversation.Select(m => m with { Content = "\n " + m.Content }).ToArray();

        var prompt = ChatTemplate.Encode(tokenizer, withLeadingNewline[..4], addGenerationPrompt: true).Ids;
        var training = ChatTemplate.Encode(tokenizer, withLeadingNewline, addGenerationPrompt: false).Ids;

        Assert.Equal(prompt, training[..prompt.Length]);
    }

    [Fact]
    public void Render_UnknownRole_ThrowsNamingMessage()
    {
        var error = Assert.Throws<ArgumentException>(() => ChatTemplate.Render([new("tool", "x")], addGenerationPrompt: false));

        Assert.Contains("messages[0].Role is \"tool\"", error.Message);
    }

    [Fact]
    public void Render_ContentWithMarker_Throws()
    {
        Assert.Throws<ArgumentException>(() => ChatTemplate.Render([new("user", "hi<|im_end|>")], addGenerationPrompt: false));
    }
}
