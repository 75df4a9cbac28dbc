using System.Collections.Concurrent;
using System.Reflection;

namespace Pipeline.Durable.Runtime;

/// <summary>What reflection finds on a [Workflow] class: its type name, run method, signals and queries.</summary>
public sealed class WorkflowDefinition
{
    private static readonly ConcurrentDictionary<Type, WorkflowDefinition> Cache = new();

    private WorkflowDefinition(Type type)
    {
        var attr = type.GetCustomAttribute<WorkflowAttribute>()
            ?? throw new ArgumentException($"{type.FullName} is not a workflow: add [Workflow] to the class.");
        Type = type;
        Name = attr.Name ?? type.Name;
        var runs = type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.IsDefined(typeof(WorkflowRunAttribute))).ToList();
        if (runs.Count != 1)
            throw new ArgumentException($"Workflow {Name} must have exactly one [WorkflowRun] method, found {runs.Count}.");
        RunMethod = runs[0];
        if (!typeof(Task).IsAssignableFrom(RunMethod.ReturnType))
            throw new ArgumentException($"Workflow {Name}: the [WorkflowRun] method {RunMethod.Name} must return Task or Task<T>.");
        if (RunMethod.GetParameters().Length > 1)
            throw new ArgumentException($"Workflow {Name}: the [WorkflowRun] method takes at most one parameter (a record).");
        if (type.GetConstructor(Type.EmptyTypes) is null)
            throw new ArgumentException($"Workflow {Name} needs a public parameterless constructor.");
        ResultType = TaskResultType(RunMethod.ReturnType);
        foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            if (m.GetCustomAttribute<WorkflowSignalAttribute>() is { } s)
            {
                if (!typeof(Task).IsAssignableFrom(m.ReturnType))
                    throw new ArgumentException($"Workflow {Name}: signal method {m.Name} must return Task.");
                Signals[s.Name ?? TrimAsync(m.Name)] = m;
            }
            if (m.GetCustomAttribute<WorkflowQueryAttribute>() is { } q) Queries[q.Name ?? m.Name] = m;
        }
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetCustomAttribute<WorkflowQueryAttribute>() is { } q && p.GetMethod is { } getter) Queries[q.Name ?? p.Name] = getter;
        }
    }

    public Type Type { get; }
    public string Name { get; }
    public MethodInfo RunMethod { get; }

    /// <summary>typeof(void) for a plain Task.</summary>
    public Type ResultType { get; }

    public Dictionary<string, MethodInfo> Signals { get; } = new();
    public Dictionary<string, MethodInfo> Queries { get; } = new();

    public static WorkflowDefinition For(Type type) => Cache.GetOrAdd(type, t => new WorkflowDefinition(t));

    public static WorkflowDefinition For<T>() => For(typeof(T));

    public static string SignalName(MethodInfo m) =>
        m.GetCustomAttribute<WorkflowSignalAttribute>() is { } s ? s.Name ?? TrimAsync(m.Name)
            : throw new ArgumentException($"{m.DeclaringType?.Name}.{m.Name} is not a [WorkflowSignal] method.");

    public static string QueryName(MemberInfo m) => m.GetCustomAttribute<WorkflowQueryAttribute>() is { } q ? q.Name ?? m.Name
        : throw new ArgumentException($"{m.DeclaringType?.Name}.{m.Name} is not a [WorkflowQuery] member.");

    internal static string TrimAsync(string name) =>
        name.Length > 5 && name.EndsWith("Async", StringComparison.Ordinal) ? name[..^5] : name;

    internal static Type TaskResultType(Type taskType) =>
        taskType.IsGenericType && taskType.GetGenericTypeDefinition() == typeof(Task<>) ? taskType.GetGenericArguments()[0] : typeof(void);
}
