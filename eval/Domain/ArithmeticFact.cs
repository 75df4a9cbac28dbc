using System.Globalization;

namespace Pipeline.Eval.Domain;

/// <summary>
/// One of the demo domain's 1,620 facts: <c>a + b</c> or <c>a - b</c> with a in 10–99 and b in 1–9. A carry item is an
/// addition whose units overflow (a % 10 + b ≥ 10) or a subtraction that borrows (a % 10 &lt; b): the items the SFT
/// demonstrator gets wrong half of the time.
/// </summary>
public readonly record struct ArithmeticFact(int A, int B, ArithmeticOp Op)
{
    public const int MinA = 10;
    public const int MaxA = 99;
    public const int MinB = 1;
    public const int MaxB = 9;

    /// <summary>Every fact, in a fixed order: additions then subtractions, a ascending, then b ascending.</summary>
    public static IReadOnlyList<ArithmeticFact> All { get; } =
        [.. from op in new[] { ArithmeticOp.Add, ArithmeticOp.Sub }
            from a in Enumerable.Range(MinA, MaxA - MinA + 1)
            from b in Enumerable.Range(MinB, MaxB - MinB + 1)
            select new ArithmeticFact(a, b, op)];

    public int Result => Op == ArithmeticOp.Add ? A + B : A - B;

    public bool IsCarry => Op == ArithmeticOp.Add ? A % 10 + B >= 10 : A % 10 < B;

    /// <summary>The answer of a demonstrator who forgets the carry (tens digit not incremented: 83 + 9 → 82) or the
    /// borrow (tens digit not decremented: 83 - 6 → 87). Equals <see cref="Result"/> on non-carry items.</summary>
    public int ForgetfulResult => !IsCarry ? Result : Op == ArithmeticOp.Add ? Result - 10 : Result + 10;

    /// <summary>"+" or "-".</summary>
    public string Symbol => Op == ArithmeticOp.Add ? "+" : "-";

    /// <summary>The task column's value: "add" or "sub".</summary>
    public string Task => Op == ArithmeticOp.Add ? "add" : "sub";

    /// <summary>The equation in the pretraining wording with the given result: <c>83 - 6 = 77.</c></summary>
    public string Equation(int result) => $"{Num(A)} {Symbol} {Num(B)} = {Num(result)}.";

    /// <summary>The correct assistant answer: the equation restated with the right result.</summary>
    public string Reference => Equation(Result);

    /// <summary>The raw-format prompt a pretrained model completes: <c>83 - 6 =</c>.</summary>
    public string RawPrompt => $"{Num(A)} {Symbol} {Num(B)} =";

    public override string ToString() => $"{A} {Symbol} {B}";

    internal static string Num(int n) => n.ToString(CultureInfo.InvariantCulture);
}
