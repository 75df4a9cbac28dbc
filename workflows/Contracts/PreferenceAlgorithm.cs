namespace Pipeline.Workflows.Contracts;

/// <summary>Which preference-learning stage follows SFT.</summary>
public enum PreferenceAlgorithm
{
    /// <summary>Group-relative policy optimisation with the dataset's verifier as reward (online, no pairs needed).</summary>
    Grpo,

    /// <summary>Direct preference optimisation on pairs collected from the SFT model and labelled by the verifier.</summary>
    Dpo,
}
