namespace Pipeline.Durable;

/// <summary>Marks a query handler: a synchronous method or property getter that reads workflow state
/// and never changes it. The query name defaults to the member name.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Property, Inherited = false)]
public sealed class WorkflowQueryAttribute(string? name = null) : Attribute
{
    public string? Name { get; } = name;
}
