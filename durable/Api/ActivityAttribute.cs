namespace Pipeline.Durable;

/// <summary>Marks an activity method. The activity type name defaults to the method name without an
/// "Async" suffix (Temporal's rule).</summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class ActivityAttribute(string? name = null) : Attribute
{
    public string? Name { get; } = name;
}
