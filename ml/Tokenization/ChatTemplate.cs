using System.Text;

namespace Pipeline.ML.Tokenization;

/// <summary>ChatML: <c>&lt;|im_start|&gt;{role}\n{content}&lt;|im_end|&gt;\n</c> per message, then
/// <c>&lt;|im_start|&gt;assistant\n</c> when a generation prompt is asked for. Training and inference both call
/// <see cref="Encode"/>, so a prompt's tokens at inference are exactly the prefix the model saw in training.</summary>
public static class ChatTemplate
{
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    public const string EndOfText = "<|endoftext|>";

    private static readonly string[] Roles = ["system", "user", "assistant"];

    /// <summary>The token ids that end a generated turn: the chat end token and end-of-text, where the tokenizer has
    /// them — what generation, GRPO rollouts, preference sampling and evals all stop on.</summary>
    public static int[] StopTokenIds(ByteLevelBpeTokenizer tokenizer) =>
        [.. new[] { ImEnd, EndOfText }.Select(tokenizer.TokenToId).OfType<int>()];

    public static string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        Validate(messages);
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            text.Append(ImStart).Append(message.Role).Append('\n').Append(message.Content).Append(ImEnd).Append('\n');
        }

        if (addGenerationPrompt)
        {
            text.Append(ImStart).Append("assistant\n");
        }

        return text.ToString();
    }

    /// <summary>Tokenizes <see cref="Render"/>'s text. The header ("{role}\n") and the content are encoded
    /// separately so the content always starts on a token boundary: the mask is exact, and the generation prompt's
    /// tokens are a prefix of the training tokens. This equals <c>tokenizer.Encode(Render(...))</c> except where a
    /// content begins with whitespace that GPT-2's pattern would join to the header's newline.</summary>
    public static ChatEncoding Encode(ByteLevelBpeTokenizer tokenizer, IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt)
    {
        Validate(messages);
        var imStart = RequireToken(tokenizer, ImStart);
        var imEnd = RequireToken(tokenizer, ImEnd);
        var ids = new List<int>();
        var mask = new List<bool>();
        void Add(IEnumerable<int> tokens, bool trained)
        {
            foreach (var id in tokens)
            {
                ids.Add(id);
                mask.Add(trained);
            }
        }

        foreach (var message in messages)
        {
            var assistant = message.Role == "assistant";
            Add([imStart], false);
            Add(tokenizer.Encode(message.Role + "\n"), false);
            Add(tokenizer.Encode(message.Content), assistant);
            Add([imEnd], assistant);
            Add(tokenizer.Encode("\n"), false);
        }

        if (addGenerationPrompt)
        {
            Add([imStart], false);
            Add(tokenizer.Encode("assistant\n"), false);
        }

        return new ChatEncoding(ids.ToArray(), mask.ToArray());
    }

    private static void Validate(IReadOnlyList<ChatMessage> messages)
    {
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (!Roles.Contains(message.Role))
            {
                throw new ArgumentException(
                    $"messages[{i}].Role is \"{message.Role}\"; expected one of {string.Join(", ", Roles)}", nameof(messages));
            }

            // A marker inside a content would forge a turn boundary.
            if (message.Content.Contains(ImStart, StringComparison.Ordinal) || message.Content.Contains(ImEnd, StringComparison.Ordinal))
            {
                throw new ArgumentException($"messages[{i}].Content contains {ImStart} or {ImEnd}", nameof(messages));
            }
        }
    }

    private static int RequireToken(ByteLevelBpeTokenizer tokenizer, string token) =>
        tokenizer.AddedTokens.FirstOrDefault(t => t.Content == token)?.Id
        ?? throw new ArgumentException($"the tokenizer has no added token {token}", nameof(tokenizer));
}
