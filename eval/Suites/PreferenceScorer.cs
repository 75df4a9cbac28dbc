namespace Pipeline.Eval.Suites;

/// <summary>What decides a held-out pair's winner in a preference suite.</summary>
public enum PreferenceScorer
{
    /// <summary>DPO's implicit reward β·(log π(y|x) − log π_ref(y|x)) (Rafailov et al. 2023, eq. 5); the reference is
    /// the model with its adapter switched off, or a separate reference model.</summary>
    Implicit,

    /// <summary>A trained reward model's score.</summary>
    RewardModel,
}
