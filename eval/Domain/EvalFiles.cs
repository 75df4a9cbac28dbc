namespace Pipeline.Eval.Domain;

/// <summary>
/// The eval files: held-out facts, acts and templates only, and drawn from the seed alone (each file its own stream,
/// none with the version's name), so they are byte-identical across the versions of a seed.
/// </summary>
internal static class EvalFiles
{
    public const int InDomainRows = 1_000;
    public const int OodRows = 1_000;
    public const int CalibrationAbstain = 150;
    public const int CalibrationAnswer = 150;
    public const int RawRows = 500;
    public const int TextRows = 500;
    public const int CarryPairs = 300;
    public const int RefusalPairTemplates = 2;

    public static byte[] InDomain(DemoSplit split, long seed) =>
        Prompts("in_domain", Arithmetic(split.HeldOutFacts, ArithmeticTemplates.Sft, InDomainRows, new DemoRandom(seed, "eval/in_domain")));

    public static byte[] Ood(DemoSplit split, long seed) =>
        Prompts("ood", Arithmetic(split.HeldOutFacts, ArithmeticTemplates.Unseen, OodRows, new DemoRandom(seed, "eval/ood")));

    /// <summary>Every held-out act in every unsafe template, and as many benign arithmetic prompts, so that both the
    /// refusal rate and the false-refusal rate are measured.</summary>
    public static byte[] Refusal(DemoSplit split, long seed)
    {
        var rng = new DemoRandom(seed, "eval/refusal");
        var rows = (from act in split.HeldOutActs from template in RequestTemplates.UnsafeAll select PromptRow.Unsafe(template, act)).ToList();
        rows.AddRange(Arithmetic(split.HeldOutFacts, ArithmeticTemplates.Sft, rows.Count, rng));
        return Prompts("refusal", rng.Shuffled(rows));
    }

    /// <summary>Unanswerable questions (seen and unseen templates, held-out numbers) beside answerable ones.</summary>
    public static byte[] Calibration(DemoSplit split, long seed)
    {
        var rng = new DemoRandom(seed, "eval/calibration");
        var templates = RequestTemplates.Unanswerable;
        var rows = Enumerable.Range(0, CalibrationAbstain)
            .Select(i => PromptRow.Unanswerable(templates[i % templates.Count], rng.Pick(split.HeldOutUnanswerableOperands))).ToList();
        rows.AddRange(Arithmetic(split.HeldOutFacts, ArithmeticTemplates.Sft, CalibrationAnswer, rng));
        return Prompts("calibration", rng.Shuffled(rows));
    }

    public static byte[] Golden(DemoSplit split) => Prompts("golden", GoldenSet.Build(split));

    /// <summary>Raw-format prompts for the base model: every held-out equation ("83 - 6 ="), then prose prefixes
    /// ("The difference between 83 and 6 is") up to <see cref="RawRows"/>.</summary>
    public static byte[] RawHeldOut(DemoSplit split, long seed)
    {
        var rng = new DemoRandom(seed, "eval/raw_heldout");
        var rows = rng.Shuffled(split.HeldOutFacts).Select(f => (f.RawPrompt, f)).ToList();
        var prose = FactDraws.Balanced(split.HeldOutFacts, PretrainPhrases.Prose, Math.Max(0, RawRows - rows.Count), rng);
        rows.AddRange(prose.Select(d => (ArithmeticTemplates.Fill(ProsePrefix(d.Template), d.Fact), d.Fact)));
        var file = new DatasetFileBuilder();
        foreach (var ((prompt, fact), i) in rows.Select((r, i) => (r, i)))
        {
            file.RawPrompt(TrainingFiles.Id("raw_heldout", i), prompt, ArithmeticFact.Num(fact.Result), fact.Task);
        }
        return file.ToArray();
    }

    /// <summary>Held-out facts written as the corpus writes them, for perplexity on text never trained on.</summary>
    public static byte[] HeldOutText(DemoSplit split, long seed)
    {
        var rng = new DemoRandom(seed, "eval/heldout_text");
        static IReadOnlyList<string> Forms(ArithmeticOp op) => [PretrainPhrases.EquationFor(op), .. PretrainPhrases.Prose(op)];
        var file = new DatasetFileBuilder();
        foreach (var ((fact, template), i) in FactDraws.Balanced(split.HeldOutFacts, Forms, TextRows, rng).Select((d, i) => (d, i)))
        {
            file.Text(TrainingFiles.Id("heldout_text", i), ArithmeticTemplates.Fill(template, fact));
        }
        return file.ToArray();
    }

    /// <summary>Held-out pairs as the flawed teacher's mistakes would make them: the right equation over the one
    /// that forgets the carry, on carry/borrow items; a refusal over compliance, on held-out acts.</summary>
    public static byte[] PreferencePairs(DemoSplit split, long seed)
    {
        var rng = new DemoRandom(seed, "eval/preference_pairs");
        var carry = split.HeldOutFacts.Where(f => f.IsCarry).ToList();
        var file = new DatasetFileBuilder();
        foreach (var (fact, template) in FactDraws.Balanced(carry, ArithmeticTemplates.Sft, CarryPairs, rng))
        {
            file.Preference(TrainingFiles.Id("pair", file.Rows), ArithmeticTemplates.Fill(template, fact), fact.Reference, fact.Equation(fact.ForgetfulResult));
        }
        foreach (var act in split.HeldOutActs)
        {
            foreach (var template in rng.Shuffled(RequestTemplates.UnsafeAll).Take(RefusalPairTemplates))
            {
                var compliance = RequestTemplates.FillAct(rng.Pick(RequestTemplates.Compliance), act);
                file.Preference(TrainingFiles.Id("pair", file.Rows), RequestTemplates.FillAct(template, act), DemoPhrases.Refusal, compliance);
            }
        }
        return file.ToArray();
    }

    private static List<PromptRow> Arithmetic(
        IReadOnlyList<ArithmeticFact> facts, Func<ArithmeticOp, IReadOnlyList<string>> templates, int count, DemoRandom rng) =>
        [.. rng.Shuffled(FactDraws.Balanced(facts, templates, count, rng)).Select(d => PromptRow.Arithmetic(d.Template, d.Fact))];

    private static byte[] Prompts(string prefix, IEnumerable<PromptRow> rows)
    {
        var file = new DatasetFileBuilder();
        foreach (var row in rows)
        {
            file.Prompt(TrainingFiles.Id(prefix, file.Rows), row, withReference: true);
        }
        return file.ToArray();
    }

    // Every prose form ends with " {c}."; what comes before is the prompt.
    private static string ProsePrefix(string template) =>
        template.EndsWith(" {c}.", StringComparison.Ordinal)
            ? template[..^" {c}.".Length]
            : throw new InvalidOperationException($"prose form \"{template}\" does not end with its result");
}
