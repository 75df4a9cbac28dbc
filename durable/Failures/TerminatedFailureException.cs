namespace Pipeline.Durable;

/// <summary>A workflow run was terminated by an operator (no workflow code ran to handle it).</summary>
public sealed class TerminatedFailureException(string message) : FailureException(message)
{
    public override Failure ToFailure() => new() { Kind = "terminated", Message = Message };
}
