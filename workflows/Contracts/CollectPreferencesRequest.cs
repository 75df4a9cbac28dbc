namespace Pipeline.Workflows.Contracts;

/// <summary>Sample completions from <paramref name="Policy"/> on training prompts, label them with the dataset's
/// verifier, keep the pairs that pass quality control, add the human preferences, and store the set as a versioned
/// artifact.</summary>
public sealed record CollectPreferencesRequest(
    ModelRef Policy, DatasetVersionRef Dataset, PreferenceConfig Config, IReadOnlyList<HumanPreference> HumanPreferences, string WorkflowId);
