namespace Pipeline.Workflows.Contracts;

/// <summary>How a recipe run ended.</summary>
public enum PostTrainingStatus
{
    /// <summary>Every stage ran and the challenger was promoted to champion.</summary>
    Promoted,

    /// <summary>An eval gate blocked the candidate; nothing was registered or promoted.</summary>
    Blocked,

    /// <summary>The A/B window ended without a win (or a guardrail fired, or someone rejected): the champion stays.</summary>
    RolledBack,

    /// <summary>Someone sent <c>abort</c>: the run stopped where it was, the champion stays.</summary>
    Aborted,
}
