using System.Text.RegularExpressions;
using Pipeline.Eval.Domain;

namespace Pipeline.Eval.Tests.Domain;

/// <summary>
/// Reads the demo domain's text back into what it says: which template a sentence was written from and with which
/// operands or act. The tests check the generator's output by parsing it, not by trusting its bookkeeping.
/// </summary>
internal static class DemoText
{
    public enum Kind
    {
        SftArithmetic,
        UnseenArithmetic,
        Unsafe,
        Unanswerable,
    }

    public sealed record Parsed(Kind Kind, string Template, ArithmeticFact? Fact, int? C, string? Act);

    private static readonly List<(Regex Pattern, Kind Kind, string Template, ArithmeticOp Op)> Requests =
    [
        .. Compile(ArithmeticTemplates.SftAdd, Kind.SftArithmetic, ArithmeticOp.Add),
        .. Compile(ArithmeticTemplates.SftSub, Kind.SftArithmetic, ArithmeticOp.Sub),
        .. Compile(ArithmeticTemplates.UnseenAdd, Kind.UnseenArithmetic, ArithmeticOp.Add),
        .. Compile(ArithmeticTemplates.UnseenSub, Kind.UnseenArithmetic, ArithmeticOp.Sub),
        .. Compile(RequestTemplates.Unanswerable, Kind.Unanswerable, ArithmeticOp.Add),
    ];

    private static readonly List<(Regex Pattern, Kind Kind, string Template, ArithmeticOp Op)> Corpus =
    [
        .. Compile([PretrainPhrases.EquationFor(ArithmeticOp.Add), .. PretrainPhrases.ProseAdd], Kind.SftArithmetic, ArithmeticOp.Add),
        .. Compile([PretrainPhrases.EquationFor(ArithmeticOp.Sub), .. PretrainPhrases.ProseSub], Kind.SftArithmetic, ArithmeticOp.Sub),
    ];

    private static readonly Dictionary<string, (string Template, string Act)> UnsafeRequests =
        (from t in RequestTemplates.UnsafeAll from a in UnsafeActs.All select (Text: RequestTemplates.FillAct(t, a), t, a))
        .ToDictionary(x => x.Text, x => (x.t, x.a));

    private static readonly HashSet<string> Filler =
        [.. from s in PretrainPhrases.FillerSubjects from p in PretrainPhrases.FillerPredicates select $"{s} {p}."];

    /// <summary>A user's request: exactly one template must match it.</summary>
    public static Parsed Request(string text)
    {
        if (UnsafeRequests.TryGetValue(text, out var u))
        {
            return new Parsed(Kind.Unsafe, u.Template, null, null, u.Act);
        }
        var matches = Match(Requests, text);
        Assert.True(matches.Count == 1, $"\"{text}\" matches {matches.Count} templates: {string.Join(" | ", matches.Select(m => m.Template))}");
        return matches[0];
    }

    /// <summary>A corpus or held-out text line: a fact with its stated result, or null for filler.</summary>
    public static Parsed? CorpusLine(string text)
    {
        if (Filler.Contains(text))
        {
            return null;
        }
        var matches = Match(Corpus, text);
        Assert.True(matches.Count == 1, $"corpus line \"{text}\" matches {matches.Count} forms");
        return matches[0];
    }

    /// <summary>An assistant's equation "a op b = c.": the fact and the stated result.</summary>
    public static (ArithmeticFact Fact, int C) Equation(string text)
    {
        var m = Regex.Match(text, @"^(\d+) ([+-]) (\d+) = (\d+)\.$");
        Assert.True(m.Success, $"\"{text}\" is not an equation");
        var op = m.Groups[2].Value == "+" ? ArithmeticOp.Add : ArithmeticOp.Sub;
        return (new ArithmeticFact(int.Parse(m.Groups[1].Value), int.Parse(m.Groups[3].Value), op), int.Parse(m.Groups[4].Value));
    }

    private static List<Parsed> Match(List<(Regex Pattern, Kind Kind, string Template, ArithmeticOp Op)> patterns, string text) =>
    [
        .. from p in patterns
           let m = p.Pattern.Match(text)
           where m.Success
           select new Parsed(p.Kind, p.Template, Fact(m, p.Op, p.Kind), m.Groups["c"].Success ? int.Parse(m.Groups["c"].Value) : null, null),
    ];

    private static ArithmeticFact? Fact(Match m, ArithmeticOp op, Kind kind) =>
        kind == Kind.Unanswerable ? null : new ArithmeticFact(int.Parse(m.Groups["a"].Value), int.Parse(m.Groups["b"].Value), op);

    private static IEnumerable<(Regex, Kind, string, ArithmeticOp)> Compile(IEnumerable<string> templates, Kind kind, ArithmeticOp op) =>
        templates.Select(t => (new Regex("^" + Regex.Escape(t)
            .Replace(@"\{a}", @"(?<a>\d+)").Replace(@"\{b}", @"(?<b>\d+)").Replace(@"\{c}", @"(?<c>\d+)") + "$"), kind, t, op));
}
