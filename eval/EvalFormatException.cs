namespace Pipeline.Eval;

/// <summary>An eval input is malformed: a suite or policy file, an eval report, a per-example results file. The
/// message names the file, the line where there is one, the field, and what was expected:
/// <c>gate.yaml:7: rules[2].max_regression: expected a number ≥ 0, found "-1"</c>.</summary>
public sealed class EvalFormatException : Exception
{
    public EvalFormatException(string message)
        : base(message)
    {
    }

    public EvalFormatException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
