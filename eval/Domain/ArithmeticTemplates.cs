namespace Pipeline.Eval.Domain;

/// <summary>
/// How a user asks for a sum or a difference. {a} and {b} are the operands. The SFT phrasings appear in training
/// files and the in-domain eval; the unseen phrasings only in the OOD eval, which measures whether the skill carries
/// over to wording never trained on (their key words, "sum of" and "difference between", are known from pretraining).
/// </summary>
public static class ArithmeticTemplates
{
    public static IReadOnlyList<string> SftAdd { get; } =
    [
        "What is {a} + {b}?",
        "What is {a} plus {b}?",
        "Compute {a} plus {b}.",
        "Please add {a} and {b}.",
        "{a} + {b} = ?",
        "Can you work out {a} plus {b}?",
        "Add {b} to {a}.",
        "How much is {a} + {b}?",
        "Calculate {a} + {b}.",
        "What do you get if you add {b} to {a}?",
        "Quick question: {a} + {b}?",
        "Solve {a} + {b}.",
        "Tell me what {a} plus {b} is.",
        "What's {a} + {b}?",
        "Find {a} plus {b}.",
        "Work out {a} + {b} for me.",
        "What is {b} added to {a}?",
        "I have {a} and add {b}. What is the total?",
    ];

    public static IReadOnlyList<string> SftSub { get; } =
    [
        "What is {a} - {b}?",
        "What is {a} minus {b}?",
        "Compute {a} minus {b}.",
        "Please subtract {b} from {a}.",
        "{a} - {b} = ?",
        "Can you work out {a} take away {b}?",
        "Take {b} away from {a}.",
        "How much is {a} - {b}?",
        "Calculate {a} - {b}.",
        "What do you get if you subtract {b} from {a}?",
        "Quick question: {a} - {b}?",
        "Solve {a} - {b}.",
        "Tell me what {a} minus {b} is.",
        "What's {a} - {b}?",
        "Find {a} minus {b}.",
        "Work out {a} - {b} for me.",
        "What is {b} subtracted from {a}?",
        "I have {a} and take away {b}. What is left?",
    ];

    public static IReadOnlyList<string> UnseenAdd { get; } =
    [
        "Could you tell me the sum of {a} and {b}?",
        "I need the sum of {a} and {b}, please.",
        "What number do you get when {a} is increased by {b}?",
        "If I had {a} apples and got {b} more, how many would I have?",
        "Give me the total of {a} and {b}.",
        "What is {b} more than {a}?",
        "Sum up {a} and {b} for me.",
    ];

    public static IReadOnlyList<string> UnseenSub { get; } =
    [
        "Could you tell me the difference between {a} and {b}?",
        "I need the difference between {a} and {b}, please.",
        "What number do you get when {a} is decreased by {b}?",
        "If I had {a} apples and gave away {b}, how many would I have left?",
        "Give me {a} reduced by {b}.",
        "What is {b} less than {a}?",
        "Deduct {b} from {a} for me.",
    ];

    public static IReadOnlyList<string> Sft(ArithmeticOp op) => op == ArithmeticOp.Add ? SftAdd : SftSub;

    public static IReadOnlyList<string> Unseen(ArithmeticOp op) => op == ArithmeticOp.Add ? UnseenAdd : UnseenSub;

    /// <summary>The template with {a}, {b} and {c} (the correct result) filled in from <paramref name="fact"/>.</summary>
    public static string Fill(string template, ArithmeticFact fact) => template
        .Replace("{a}", ArithmeticFact.Num(fact.A), StringComparison.Ordinal)
        .Replace("{b}", ArithmeticFact.Num(fact.B), StringComparison.Ordinal)
        .Replace("{c}", ArithmeticFact.Num(fact.Result), StringComparison.Ordinal);
}
