namespace Pipeline.ML.Tokenization;

/// <summary>A tokenized conversation. <see cref="AssistantMask"/>[i] is true for tokens of assistant contents and
/// their closing &lt;|im_end|&gt; — the tokens SFT trains on.</summary>
public sealed record ChatEncoding(int[] Ids, bool[] AssistantMask);
