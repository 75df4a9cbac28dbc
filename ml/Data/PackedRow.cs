namespace Pipeline.ML.Data;

/// <summary>One training row of exactly seqLen tokens: whole examples back to back, then padding.
/// <see cref="PositionIds"/> restart at 0 at every example, and again at the padding, which is how attention finds the
/// document boundaries (TRL's padding-free packing; flash-attention's varlen kernels read them the same way).
/// <see cref="Labels"/> is aligned with <see cref="InputIds"/> (the loss shifts by one) and is
/// <see cref="TokenizedExample.IgnoreIndex"/> on padding and on each example's first token, whose prediction would
/// come from the previous document.</summary>
/// <param name="ExampleLines">the source lines of the examples in the row, in the order they appear.</param>
/// <param name="PaddingTokens">pad tokens at the end of the row.</param>
public sealed record PackedRow(int[] InputIds, int[] Labels, int[] PositionIds, int[] ExampleLines, int PaddingTokens);
