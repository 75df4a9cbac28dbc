using System.Text.Json;

namespace Pipeline.Durable;

/// <summary>The serialized form of an error as it is stored in history: what failed, why, and what caused it.</summary>
public sealed record Failure
{
    /// <summary>application | activity | child_workflow | timeout | canceled | terminated | nondeterminism | workflow_task</summary>
    public required string Kind { get; init; }

    public required string Message { get; init; }

    /// <summary>For application failures, the error type (ApplicationFailureException.ErrorType or the exception's type name).</summary>
    public string? ErrorType { get; init; }

    public bool NonRetryable { get; init; }

    /// <summary>For timeouts: StartToClose, ScheduleToStart, ScheduleToClose or Heartbeat.</summary>
    public string? TimeoutType { get; init; }

    /// <summary>Application-supplied details (JSON).</summary>
    public JsonElement? Details { get; init; }

    public string? StackTrace { get; init; }

    public Failure? Cause { get; init; }

    public override string ToString() =>
        Cause is null ? $"{Kind}: {Message}" : $"{Kind}: {Message} <- {Cause}";
}
