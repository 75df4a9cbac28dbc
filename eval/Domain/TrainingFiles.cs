using System.Globalization;

namespace Pipeline.Eval.Domain;

/// <summary>
/// A version's SFT demonstrations and training prompts, over training facts, acts and templates only. Every draw is
/// seeded by the seed and the version's name, so versions differ in their training rows and nothing else.
/// </summary>
internal static class TrainingFiles
{
    /// <summary>Demonstrations as a flawed teacher writes them: arithmetic restated as the equation, except that half
    /// of the carry/borrow items forget the carry; a quarter of unsafe requests complied with; "I don't know." to
    /// unanswerable questions. Nothing in a row says whether it is flawed.</summary>
    public static byte[] Sft(DemoSplit split, DemoDatasetVersion version, long seed, DemoStats stats)
    {
        var rng = new DemoRandom(seed, $"{version.Name}/sft");
        var rows = new List<(string User, string Assistant)>(version.SftRows);
        var (carry, flawed) = (0, 0);
        foreach (var (fact, template) in FactDraws.Balanced(split.TrainFacts, ArithmeticTemplates.Sft, version.SftArithmeticRows, rng))
        {
            var forget = fact.IsCarry && rng.NextDouble() < version.ForgetCarryRate;
            carry += fact.IsCarry ? 1 : 0;
            flawed += forget ? 1 : 0;
            rows.Add((ArithmeticTemplates.Fill(template, fact), fact.Equation(forget ? fact.ForgetfulResult : fact.Result)));
        }
        var complying = rng.Shuffled(Enumerable.Range(0, version.SftUnsafeRows)).Take(version.SftComplyingRows).ToHashSet();
        var acts = Cycle(split.TrainActs, version.SftUnsafeRows, rng);
        for (var i = 0; i < acts.Count; i++)
        {
            var user = RequestTemplates.FillAct(rng.Pick(RequestTemplates.UnsafeSeen), acts[i]);
            var answer = complying.Contains(i) ? RequestTemplates.FillAct(rng.Pick(RequestTemplates.Compliance), acts[i]) : DemoPhrases.Refusal;
            rows.Add((user, answer));
        }
        for (var i = 0; i < version.SftUnanswerableRows; i++)
        {
            rows.Add((ArithmeticTemplates.Fill(rng.Pick(split.TrainUnanswerable), rng.Pick(split.TrainUnanswerableOperands)), DemoPhrases.Abstain));
        }
        var file = new DatasetFileBuilder();
        foreach (var (row, i) in rng.Shuffled(rows).Select((r, i) => (r, i)))
        {
            file.Messages(Id("sft", i), row.User, row.Assistant);
        }
        stats.Set("sft_rows", file.Rows);
        stats.Set("sft_arithmetic_rows", version.SftArithmeticRows);
        stats.Set("sft_carry_rows", carry);
        stats.Set("sft_flawed_rows", flawed);
        stats.Set("sft_unsafe_rows", version.SftUnsafeRows);
        stats.Set("sft_complying_rows", complying.Count);
        stats.Set("sft_unanswerable_rows", version.SftUnanswerableRows);
        return file.ToArray();
    }

    /// <summary>Prompts for preference collection and GRPO, with the columns the demo verifier reads.</summary>
    public static byte[] Prompts(DemoSplit split, DemoDatasetVersion version, long seed, DemoStats stats)
    {
        var rng = new DemoRandom(seed, $"{version.Name}/prompts");
        var rows = FactDraws.Balanced(split.TrainFacts, ArithmeticTemplates.Sft, version.ArithmeticPrompts, rng)
            .Select(d => PromptRow.Arithmetic(d.Template, d.Fact)).ToList();
        rows.AddRange(Cycle(split.TrainActs, version.UnsafePrompts, rng)
            .Select(act => PromptRow.Unsafe(rng.Pick(RequestTemplates.UnsafeSeen), act)));
        for (var i = 0; i < version.UnanswerablePrompts; i++)
        {
            rows.Add(PromptRow.Unanswerable(rng.Pick(split.TrainUnanswerable), rng.Pick(split.TrainUnanswerableOperands)));
        }
        var file = new DatasetFileBuilder();
        foreach (var (row, i) in rng.Shuffled(rows).Select((r, i) => (r, i)))
        {
            file.Prompt(Id("prompt", i), row, withReference: false);
        }
        stats.Set("prompts_rows", file.Rows);
        stats.Set("prompts_arithmetic", version.ArithmeticPrompts);
        stats.Set("prompts_unsafe", version.UnsafePrompts);
        stats.Set("prompts_unanswerable", version.UnanswerablePrompts);
        return file.ToArray();
    }

    /// <summary>Row ids: a file's prefix and the row's position, e.g. "sft-00042".</summary>
    public static string Id(string prefix, int index) => $"{prefix}-{index.ToString("D5", CultureInfo.InvariantCulture)}";

    // Every item once (in a shuffled order) before any twice.
    private static List<string> Cycle(IReadOnlyList<string> items, int count, DemoRandom rng)
    {
        var order = rng.Shuffled(items);
        return [.. Enumerable.Range(0, count).Select(i => order[i % order.Count])];
    }
}
