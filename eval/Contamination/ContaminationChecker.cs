namespace Pipeline.Eval.Contamination;

/// <summary>
/// Checks eval sets for text that also occurs in training sets: normalized word n-grams of each eval example's
/// question are looked up among the n-grams of every training text (see <see cref="NGramHasher"/> for the
/// normalization and hashing, <see cref="RowTexts"/> for which fields are read). An example is contaminated when at
/// least <see cref="ContaminationOptions.Threshold"/> of its n-grams occur in training; a question shorter than n words
/// is one n-gram, so it is contaminated when a training text (a field or message) is the same question.
/// </summary>
public sealed class ContaminationChecker
{
    private readonly ContaminationOptions _options;

    /// <exception cref="ArgumentException">The options are out of range.</exception>
    public ContaminationChecker(ContaminationOptions? options = null)
    {
        _options = options ?? new ContaminationOptions();
        _options.Validate();
    }

    /// <summary>Reads the eval files (small) into a set of wanted n-grams, then streams the training files once.</summary>
    /// <exception cref="EvalFormatException">A file is missing or a line malformed; the message names FILE:LINE.</exception>
    public ContaminationReport Check(IReadOnlyList<string> trainFiles, IReadOnlyList<string> evalFiles)
    {
        if (trainFiles.Count == 0 || evalFiles.Count == 0)
        {
            throw new ArgumentException("the check needs at least one training file and one eval file");
        }
        var hasher = new NGramHasher(_options.NGram);
        var evals = evalFiles
            .Select(f => (File: f, Examples: DatasetRows.Read(f, DatasetSide.Eval).Select(r => EvalExample.From(r, hasher)).ToList()))
            .ToList();
        var wanted = evals.SelectMany(e => e.Examples).SelectMany(x => x.Hashes).ToHashSet();
        var scan = TrainingScan.Run(trainFiles, wanted, _options.NGram);
        var judge = new ContaminationJudge(_options, trainFiles, scan);
        return new ContaminationReport
        {
            NGram = _options.NGram,
            Threshold = _options.Threshold,
            Train = scan.Files,
            Eval = [.. evals.Select(e => judge.File(e.File, e.Examples))],
            Overlaps = [.. Enumerable.Range(0, trainFiles.Count).SelectMany(t => evals.Select(e =>
                new TrainEvalOverlap(trainFiles[t], e.File, e.Examples.Count(x => judge.IsContaminated(x, scan.PerFile[t].Contains)))))],
        };
    }
}
