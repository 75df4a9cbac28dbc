namespace Pipeline.Durable;

/// <summary>Marks a workflow class. The workflow type name defaults to the class name.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class WorkflowAttribute(string? name = null) : Attribute
{
    public string? Name { get; } = name;
}
