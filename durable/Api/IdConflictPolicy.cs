namespace Pipeline.Durable;

/// <summary>What starting a workflow id that already has an open run does.</summary>
public enum IdConflictPolicy
{
    /// <summary>Return the existing run (default here: this is what makes event-triggered starts idempotent).</summary>
    UseExisting,

    /// <summary>Fail with WorkflowAlreadyStartedException.</summary>
    Fail,

    /// <summary>Terminate the open run and start a new one.</summary>
    TerminateExisting,
}
