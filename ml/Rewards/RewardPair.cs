namespace Pipeline.ML.Rewards;

/// <summary>
/// One preference pair in token ids: a prompt, the completion preferred for it (y_w) and the one passed over (y_l).
/// The reward model reads prompt + completion as one row, each part encoded on its own and concatenated, as SFT's
/// prompt–completion rows are built. TRL's {"prompt", "chosen", "rejected"} records (ml/Data's preference loader)
/// map onto it field by field.
/// </summary>
public sealed record RewardPair(int[] Prompt, int[] Chosen, int[] Rejected)
{
    public int[] ChosenRow => [.. Prompt, .. Chosen];

    public int[] RejectedRow => [.. Prompt, .. Rejected];
}
