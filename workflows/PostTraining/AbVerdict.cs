namespace Pipeline.Workflows.PostTraining;

/// <summary>What the A/B window decided at one look.</summary>
public enum AbVerdict
{
    /// <summary>Not enough feedback yet, and the window is still open.</summary>
    Continue,

    /// <summary>The challenger is significantly better.</summary>
    Promote,

    /// <summary>The challenger is significantly worse, not significantly better when the window closed, or breached a guardrail.</summary>
    RollBack,
}
