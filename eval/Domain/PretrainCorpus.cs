namespace Pipeline.Eval.Domain;

/// <summary>
/// The raw-text pretraining corpus: 92% arithmetic over training facts only (2 in 5 of them equations, the rest
/// prose), 8% filler sentences. No held-out fact is ever written here.
/// </summary>
internal static class PretrainCorpus
{
    public const double FillerShare = 0.08;
    public const double EquationShare = 0.4;

    public static byte[] Build(DemoSplit split, long seed, string version, int lines, DemoStats stats)
    {
        var rng = new DemoRandom(seed, $"{version}/pretrain");
        var text = new DatasetFileBuilder();
        var (equations, filler) = (0, 0);
        for (var i = 0; i < lines; i++)
        {
            if (rng.NextDouble() < FillerShare)
            {
                text.Line($"{rng.Pick(PretrainPhrases.FillerSubjects)} {rng.Pick(PretrainPhrases.FillerPredicates)}.");
                filler++;
                continue;
            }
            var fact = rng.Pick(split.TrainFacts);
            var equation = rng.NextDouble() < EquationShare;
            var template = equation ? PretrainPhrases.EquationFor(fact.Op) : rng.Pick(PretrainPhrases.Prose(fact.Op));
            text.Line(ArithmeticTemplates.Fill(template, fact));
            equations += equation ? 1 : 0;
        }
        stats.Set("pretrain_lines", lines);
        stats.Set("pretrain_filler_lines", filler);
        stats.Set("pretrain_equation_lines", equations);
        stats.Set("pretrain_prose_lines", lines - filler - equations);
        return text.ToArray();
    }
}
