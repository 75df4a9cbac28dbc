namespace Pipeline.Infra.Contracts;

/// <summary>How a post-training run ended.</summary>
public enum PostTrainingOutcome
{
    /// <summary>Every gate passed; a candidate model version was registered.</summary>
    Succeeded,

    /// <summary>A gate rejected the candidate; nothing was promoted.</summary>
    Rejected,

    /// <summary>A step failed after its retries.</summary>
    Failed,
}
