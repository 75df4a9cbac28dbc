namespace Pipeline.Durable;

/// <summary>Whether a workflow id may be used again once its previous run has closed (Temporal's policy).</summary>
public enum IdReusePolicy
{
    /// <summary>A new run may start whatever the previous run's outcome (default).</summary>
    AllowDuplicate,

    /// <summary>Only if the previous run failed, was cancelled or terminated.</summary>
    AllowDuplicateFailedOnly,

    /// <summary>Never: the id identifies one run forever.</summary>
    RejectDuplicate,
}
