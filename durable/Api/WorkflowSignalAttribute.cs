namespace Pipeline.Durable;

/// <summary>Marks a signal handler: a method returning Task, taking at most one parameter.
/// The signal name defaults to the method name without an "Async" suffix.</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class WorkflowSignalAttribute(string? name = null) : Attribute
{
    public string? Name { get; } = name;
}
