namespace Pipeline.ML.Data;

/// <summary>One training example, ready to pack. <see cref="Labels"/> is aligned with <see cref="InputIds"/> (HF's
/// convention: the loss shifts by one, so <c>Labels[i]</c> is the target of the logits at position <c>i - 1</c>) and
/// holds <see cref="IgnoreIndex"/> where no loss is taken. <see cref="Line"/> is the 1-based line of the source file
/// the example came from, so a problem found later can still be traced to its data.</summary>
public sealed record TokenizedExample(int[] InputIds, int[] Labels, int Line)
{
    /// <summary>The label that takes no loss: PyTorch's <c>CrossEntropyLoss(ignore_index=-100)</c>, as TRL uses.</summary>
    public const int IgnoreIndex = -100;

    /// <summary>Tokens that carry a loss.</summary>
    public int LossTokens => Labels.Count(label => label != IgnoreIndex);
}
