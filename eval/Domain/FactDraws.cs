namespace Pipeline.Eval.Domain;

/// <summary>Draws (fact, template) combinations evenly: every fact once before any fact twice, and a fact's repeats
/// in different templates while it has unused ones.</summary>
internal static class FactDraws
{
    public static List<(ArithmeticFact Fact, string Template)> Balanced(
        IReadOnlyList<ArithmeticFact> facts, Func<ArithmeticOp, IReadOnlyList<string>> templates, int count, DemoRandom rng)
    {
        if (facts.Count == 0)
        {
            throw new ArgumentException("no facts to draw from");
        }
        var order = rng.Shuffled(facts);
        var perFact = order.Select(f => rng.Shuffled(templates(f.Op))).ToList();
        var draws = new List<(ArithmeticFact, string)>(count);
        for (var k = 0; k < count; k++)
        {
            var i = k % order.Count;
            var own = perFact[i];
            draws.Add((order[i], own[k / order.Count % own.Count]));
        }
        return draws;
    }
}
