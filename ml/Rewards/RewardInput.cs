namespace Pipeline.ML.Rewards;

/// <summary>
/// What a reward function sees: the prompt's id and text as the model saw it, the decoded completion, and the prompt
/// row's other dataset columns (e.g. "answer"), as TRL passes extra columns to reward functions as keyword arguments.
/// </summary>
public sealed record RewardInput(string PromptId, string Prompt, string Completion, IReadOnlyDictionary<string, string> Columns)
{
    /// <summary>The named column, or a clear error naming the prompt when the dataset lacks it.</summary>
    public string Column(string name) =>
        Columns.TryGetValue(name, out var value)
            ? value
            : throw new KeyNotFoundException($"prompt '{PromptId}' has no column \"{name}\" (the reward function needs it)");
}
