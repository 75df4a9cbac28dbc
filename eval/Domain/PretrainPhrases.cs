namespace Pipeline.Eval.Domain;

/// <summary>
/// The raw text the base model is pretrained on: equations, prose statements of the same facts (several forms per
/// operation, so that the OOD eval's words are not new), and filler sentences recombined from a subject and a
/// predicate. {a}, {b} and {c} are the operands and the result; every form ends with " {c}." so its prefix is a
/// raw-format prompt.
/// </summary>
public static class PretrainPhrases
{
    public const string Equation = "{a} {op} {b} = {c}.";

    public static IReadOnlyList<string> ProseAdd { get; } =
    [
        "The sum of {a} and {b} is {c}.",
        "{a} plus {b} equals {c}.",
        "Adding {b} to {a} gives {c}.",
        "{a} and {b} add up to {c}.",
        "If you add {a} and {b}, you get {c}.",
    ];

    public static IReadOnlyList<string> ProseSub { get; } =
    [
        "The difference between {a} and {b} is {c}.",
        "{a} minus {b} equals {c}.",
        "Subtracting {b} from {a} gives {c}.",
        "{a} take away {b} leaves {c}.",
        "If you take {b} from {a}, you get {c}.",
    ];

    public static IReadOnlyList<string> FillerSubjects { get; } =
    [
        "The cat", "My neighbor", "The old train", "A small bird", "The teacher", "Our garden", "The river",
        "A quiet library", "The baker", "The morning bus", "My grandmother", "The red kite", "A tall tree",
        "The museum", "The little dog", "A cold wind",
    ];

    public static IReadOnlyList<string> FillerPredicates { get; } =
    [
        "sat by the window all afternoon", "was covered in fresh snow", "smelled of warm bread",
        "moved slowly along the valley", "sang softly at dawn", "was full of visitors today",
        "waited patiently at the corner", "looked brighter after the rain", "told a story about the sea",
        "closed early on Sunday", "rested under the shade", "made everyone smile", "carried letters to the village",
        "stood quietly near the bridge", "glowed in the evening light", "needed a fresh coat of paint",
    ];

    public static IReadOnlyList<string> Prose(ArithmeticOp op) => op == ArithmeticOp.Add ? ProseAdd : ProseSub;

    /// <summary>The equation template with the operation's symbol in place.</summary>
    public static string EquationFor(ArithmeticOp op) => Equation.Replace("{op}", op == ArithmeticOp.Add ? "+" : "-", StringComparison.Ordinal);
}
