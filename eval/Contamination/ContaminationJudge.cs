namespace Pipeline.Eval.Contamination;

/// <summary>Turns a training scan into verdicts: which eval examples are contaminated, and a quotable match for each.</summary>
internal sealed class ContaminationJudge(ContaminationOptions options, IReadOnlyList<string> trainFiles, TrainingScan scan)
{
    public bool IsContaminated(EvalExample example, Func<ulong, bool> inTraining) =>
        Contaminated(example.Hashes.Length, example.Hashes.Count(inTraining));

    public EvalFileContamination File(string file, IReadOnlyList<EvalExample> examples)
    {
        var rows = examples.Select(x =>
        {
            var matched = x.Hashes.Count(scan.First.ContainsKey);
            return new ExampleContamination(x.Id, x.Line, x.Hashes.Length, matched, Contaminated(x.Hashes.Length, matched));
        }).ToList();
        var contaminated = examples.Where((_, i) => rows[i].Contaminated).ToList();
        return new EvalFileContamination
        {
            File = file,
            Examples = rows.Count,
            Contaminated = contaminated.Count,
            Rate = rows.Count == 0 ? double.NaN : (double)contaminated.Count / rows.Count,
            ContaminatedIds = [.. contaminated.Select(x => x.Id)],
            Samples = [.. contaminated.Take(options.MaxSamples).Select(Sample)],
            Rows = rows,
        };
    }

    private bool Contaminated(int ngrams, int matched) => ngrams > 0 && (double)matched / ngrams >= options.Threshold;

    /// <summary>The first run of consecutive matched n-grams, as words, and where training first holds its first one.</summary>
    private ContaminationMatch Sample(EvalExample example)
    {
        var overlap = (double)example.Hashes.Count(scan.First.ContainsKey) / example.Hashes.Length;
        foreach (var text in example.Texts)
        {
            var start = Enumerable.Range(text.First, text.Count).FirstOrDefault(k => scan.First.ContainsKey(example.Hashes[k]), -1);
            if (start < 0)
            {
                continue;
            }
            var end = start;
            while (end + 1 < text.First + text.Count && scan.First.ContainsKey(example.Hashes[end + 1]))
            {
                end++;
            }
            // A short text is one hash standing for all its words; otherwise n-gram k covers words k … k + n − 1.
            var words = text.Words.Length < options.NGram
                ? text.Words
                : text.Words[(start - text.First)..(end - text.First + options.NGram)];
            var (file, line) = scan.First[example.Hashes[start]];
            return new ContaminationMatch(example.Id, example.Line, overlap, trainFiles[file], line, string.Join(' ', words));
        }
        throw new InvalidOperationException($"example {example.Id} is contaminated but none of its n-grams matched");
    }
}
