namespace Pipeline.ML.Ops;

/// <summary>
/// What one cross-entropy forward saw: the summed loss over non-ignored rows, how many rows that was, and how many
/// of them had the target as argmax (ties to the lowest index, as torch.argmax) — TRL's mean_token_accuracy.
/// </summary>
public readonly record struct CrossEntropyStats(double LossSum, int Count, int Correct);
