using System.Linq.Expressions;
using System.Reflection;

namespace Pipeline.Durable.Runtime;

/// <summary>Reads a call expression such as <c>(MyActivities a) =&gt; a.TrainAsync(req)</c>: which method, with
/// which argument values. The method is never invoked here; only its name and the arguments are used.</summary>
internal static class CallParser
{
    public static (MethodInfo Method, object?[] Args) Parse(LambdaExpression call)
    {
        var body = call.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert } u) body = u.Operand;
        if (body is not MethodCallExpression mc)
            throw new ArgumentException($"Expected a method call like (T x) => x.MethodAsync(arg), got: {call}");
        var args = mc.Arguments.Select(Evaluate).ToArray();
        return (mc.Method, args);
    }

    public static MemberInfo ParseMember(LambdaExpression call)
    {
        var body = call.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert } u) body = u.Operand;
        return body switch
        {
            MethodCallExpression mc => mc.Method,
            MemberExpression { Member: PropertyInfo p } => p,
            _ => throw new ArgumentException($"Expected a method call or property, got: {call}"),
        };
    }

    public static object?[] ArgsOf(LambdaExpression call)
    {
        var body = call.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert } u) body = u.Operand;
        return body is MethodCallExpression mc ? mc.Arguments.Select(Evaluate).ToArray() : [];
    }

    private static object? Evaluate(Expression e)
    {
        switch (e)
        {
            case ConstantExpression c:
                return c.Value;
            case MemberExpression { Expression: ConstantExpression closure, Member: FieldInfo f }:
                return f.GetValue(closure.Value);
            case MemberExpression { Expression: ConstantExpression closure, Member: PropertyInfo p }:
                return p.GetValue(closure.Value);
            default:
                return Expression.Lambda<Func<object?>>(Expression.Convert(e, typeof(object))).Compile(preferInterpretation: true)();
        }
    }
}
