namespace Pipeline.Eval.Domain;

/// <summary>The demo domain's two operations.</summary>
public enum ArithmeticOp
{
    Add,
    Sub,
}
