namespace Pipeline.ML.Data;

/// <summary>One preference pair as token ids: the prompt exactly as inference feeds it (a conversational prompt ends
/// with the generation prompt), then each completion's tokens, which continue it. <see cref="Line"/> is the 1-based
/// line of the source file, so a pair can be traced to its data.</summary>
public sealed record PreferenceExample(int[] Prompt, int[] Chosen, int[] Rejected, int Line)
{
    /// <summary>The longest of prompt+chosen and prompt+rejected: the row length this pair needs.</summary>
    public int Length => Prompt.Length + Math.Max(Chosen.Length, Rejected.Length);
}
