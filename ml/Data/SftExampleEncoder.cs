using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Data;

/// <summary>Turns a parsed record into input ids and labels the way TRL's SFTTrainer does, with
/// <see cref="TokenizedExample.IgnoreIndex"/> wherever the options say no loss is taken. Truncation is the caller's.</summary>
internal sealed class SftExampleEncoder(ByteLevelBpeTokenizer tokenizer, SftDataOptions options, int eosId)
{
    private const int Ignore = TokenizedExample.IgnoreIndex;

    public (int[] Ids, int[] Labels) Encode(SftRecord record) => record.Format switch
    {
        SftDataFormat.LanguageModeling => AllLoss(WithEos(tokenizer.Encode(record.Text))),
        SftDataFormat.PromptCompletion => PromptCompletion(record.Prompt, record.Completion),
        SftDataFormat.Conversational => Conversation(record.Messages),
        SftDataFormat.ConversationalPromptCompletion => ConversationalPromptCompletion(record.Messages, record.CompletionMessages),
        _ => throw new ArgumentOutOfRangeException(nameof(record), record.Format, "unknown format"),
    };

    private static (int[] Ids, int[] Labels) AllLoss(int[] ids) => (ids, (int[])ids.Clone());

    /// <summary>TRL's add_eos: appended unless the text already ends with it, so a dataset that wrote the end token
    /// itself does not get two.</summary>
    private int[] WithEos(int[] ids) => ids.Length > 0 && ids[^1] == eosId ? ids : [.. ids, eosId];

    /// <summary>Prompt and completion are encoded separately, so the completion starts on a token boundary and the
    /// prompt's tokens are exactly what inference feeds the model (TRL encodes them joined and warns on a mismatch).</summary>
    private (int[] Ids, int[] Labels) PromptCompletion(string prompt, string completion)
    {
        var promptIds = tokenizer.Encode(prompt);
        var completionIds = WithEos(tokenizer.Encode(completion));
        int[] ids = [.. promptIds, .. completionIds];
        if (!options.CompletionOnlyLoss)
        {
            return AllLoss(ids);
        }

        int[] labels = [.. Enumerable.Repeat(Ignore, promptIds.Length), .. completionIds];
        return (ids, labels);
    }

    private (int[] Ids, int[] Labels) Conversation(IReadOnlyList<ChatMessage> messages)
    {
        var encoding = ChatTemplate.Encode(tokenizer, messages, addGenerationPrompt: false);
        return (encoding.Ids, Labels(encoding, completionStart: 0));
    }

    /// <summary>The completion starts after the prompt's generation prompt, as TRL's completion mask does, so the
    /// "&lt;|im_start|&gt;assistant\n" header is prompt even when only CompletionOnlyLoss is on.</summary>
    private (int[] Ids, int[] Labels) ConversationalPromptCompletion(IReadOnlyList<ChatMessage> prompt, IReadOnlyList<ChatMessage> completion)
    {
        var encoding = ChatTemplate.Encode(tokenizer, [.. prompt, .. completion], addGenerationPrompt: false);
        var completionStart = options.CompletionOnlyLoss
            ? ChatTemplate.Encode(tokenizer, prompt, addGenerationPrompt: true).Ids.Length
            : 0;
        return (encoding.Ids, Labels(encoding, completionStart));
    }

    private int[] Labels(ChatEncoding encoding, int completionStart)
    {
        var labels = new int[encoding.Ids.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            var trained = i >= completionStart && (encoding.AssistantMask[i] || !options.AssistantOnlyLoss);
            labels[i] = trained ? encoding.Ids[i] : Ignore;
        }

        return labels;
    }
}
