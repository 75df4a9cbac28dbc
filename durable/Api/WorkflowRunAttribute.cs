namespace Pipeline.Durable;

/// <summary>Marks the single entry method of a workflow: async, at most one parameter (a record).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class WorkflowRunAttribute : Attribute;
