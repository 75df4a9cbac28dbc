namespace Pipeline.Durable;

/// <summary>What happens to a running child workflow when its parent closes.</summary>
public enum ParentClosePolicy
{
    /// <summary>The child is terminated (Temporal's default).</summary>
    Terminate,

    /// <summary>The child is asked to cancel.</summary>
    RequestCancel,

    /// <summary>The child keeps running on its own.</summary>
    Abandon,
}
