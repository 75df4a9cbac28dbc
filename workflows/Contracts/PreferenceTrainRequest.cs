namespace Pipeline.Workflows.Contracts;

/// <summary>Run GRPO (verifier reward on the dataset's prompts) or DPO (on <paramref name="PreferencesDigest"/>) from
/// the SFT model, which is also the reference.</summary>
public sealed record PreferenceTrainRequest(
    ModelRef Sft, DatasetVersionRef Dataset, PreferenceConfig Config, string? PreferencesDigest, string WorkflowId);
