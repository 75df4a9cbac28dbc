using System.Reflection;

namespace Pipeline.Durable.Runtime;

/// <summary>An [Activity] method and how to get the object it runs on.</summary>
public sealed class ActivityDefinition
{
    private ActivityDefinition(string name, MethodInfo method, Func<IServiceProvider?, object?> target)
    {
        Name = name;
        Method = method;
        Target = target;
        ParameterTypes = method.GetParameters().Select(p => p.ParameterType).ToArray();
        ResultType = typeof(Task).IsAssignableFrom(method.ReturnType) ? WorkflowDefinition.TaskResultType(method.ReturnType)
            : method.ReturnType;
    }

    public string Name { get; }
    public MethodInfo Method { get; }
    public IReadOnlyList<Type> ParameterTypes { get; }
    public Type ResultType { get; }

    /// <summary>Makes (or returns) the object the method runs on; null for static methods.</summary>
    public Func<IServiceProvider?, object?> Target { get; }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<MethodInfo, string> Names = new();

    /// <summary>The activity type name of an [Activity] method (cached: workflow code asks on every call and replay).</summary>
    public static string NameOf(MethodInfo m) => Names.GetOrAdd(m, static m =>
        m.GetCustomAttribute<ActivityAttribute>() is { } a ? a.Name ?? WorkflowDefinition.TrimAsync(m.Name)
            : throw new ArgumentException($"{m.DeclaringType?.Name}.{m.Name} is not an [Activity] method."));

    /// <summary>Every [Activity] method of <paramref name="type"/>, each bound to <paramref name="target"/>.</summary>
    public static IEnumerable<ActivityDefinition> From(Type type, Func<IServiceProvider?, object?> target)
    {
        var found = false;
        foreach (var m in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
        {
            if (!m.IsDefined(typeof(ActivityAttribute))) continue;
            found = true;
            yield return new ActivityDefinition(NameOf(m), m, m.IsStatic ? _ => null : target);
        }
        if (!found) throw new ArgumentException($"{type.FullName} has no [Activity] methods.");
    }

    /// <summary>Runs the method and returns its result (null for Task/void).</summary>
    public async Task<object?> InvokeAsync(object? target, object?[] args)
    {
        object? returned;
        try
        {
            returned = Method.Invoke(target, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
        if (returned is not Task task) return returned;
        await task;
        return ResultType == typeof(void) ? null : task.GetType().GetProperty("Result")!.GetValue(task);
    }
}
