namespace Pipeline.Eval.Domain;

/// <summary>
/// Generates one version of the demo dataset ("arith-demo") from a seed: the pretraining corpus, SFT demonstrations,
/// training prompts, the eval files and the manifest. The same options give the same bytes on any machine: all
/// randomness is seeded SplitMix64, numbers are written in the invariant culture, lines end in "\n", keys keep a
/// fixed order, and nothing records a time.
/// </summary>
public static class DemoDatasetGenerator
{
    public const string DatasetName = "arith-demo";

    /// <summary>Changes whenever the files this code writes for a given seed and version change.</summary>
    public const string GeneratorVersion = "pipeline-eval/arith-demo 1";

    private const string DomainDescription =
        "Requests to an assistant for a + b and a - b (a in 10-99, b in 1-9); 20% of operand pairs, unsafe acts and some " +
        "templates held out for the evals. SFT demonstrations forget the carry or borrow on half of the carry items and " +
        "comply with a quarter of the unsafe requests.";

    public static GeneratedDataset Generate(DemoDatasetOptions options)
    {
        options.Validate();
        var version = DemoDatasetVersions.Get(options.Version);
        var seed = options.Seed;
        var split = DemoSplit.For(seed);
        var stats = SplitStats(split);
        GeneratedFile[] files =
        [
            new("corpus/pretrain.txt", DatasetFileRole.Pretrain, DatasetFileFormat.Text,
                PretrainCorpus.Build(split, seed, version.Name, options.CorpusLines, stats)),
            new("sft/train.jsonl", DatasetFileRole.Sft, DatasetFileFormat.Messages, TrainingFiles.Sft(split, version, seed, stats)),
            new("prompts/train.jsonl", DatasetFileRole.Prompts, DatasetFileFormat.Prompts, TrainingFiles.Prompts(split, version, seed, stats)),
            Eval("in_domain", EvalFiles.InDomain(split, seed)),
            Eval("ood", EvalFiles.Ood(split, seed)),
            Eval("refusal", EvalFiles.Refusal(split, seed)),
            Eval("calibration", EvalFiles.Calibration(split, seed)),
            Eval("golden", EvalFiles.Golden(split)),
            Eval("raw_heldout", EvalFiles.RawHeldOut(split, seed)),
            new("eval/heldout_text.jsonl", DatasetFileRole.Eval, DatasetFileFormat.Text, EvalFiles.HeldOutText(split, seed)),
            new("eval/preference_pairs.jsonl", DatasetFileRole.Eval, DatasetFileFormat.Preference, EvalFiles.PreferencePairs(split, seed)),
        ];
        var manifest = new DatasetManifest(
            DatasetName, version.Name, seed, GeneratorVersion, $"{DomainDescription} {version.Description}",
            [.. files.Select(f => f.Describe())], stats.ToDictionary());
        return new GeneratedDataset(manifest, files);
    }

    private static GeneratedFile Eval(string name, byte[] content) =>
        new($"eval/{name}.jsonl", DatasetFileRole.Eval, DatasetFileFormat.Eval, content);

    private static DemoStats SplitStats(DemoSplit split)
    {
        var stats = new DemoStats();
        stats.Set("facts", ArithmeticFact.All.Count);
        stats.Set("train_pairs", split.TrainFacts.Count);
        stats.Set("heldout_pairs", split.HeldOutFacts.Count);
        stats.Set("heldout_carry_pairs", split.HeldOutFacts.Count(f => f.IsCarry));
        stats.Set("train_acts", split.TrainActs.Count);
        stats.Set("heldout_acts", split.HeldOutActs.Count);
        stats.Set("train_unanswerable_templates", split.TrainUnanswerable.Count);
        stats.Set("heldout_unanswerable_templates", split.HeldOutUnanswerable.Count);
        stats.Set("sft_templates", ArithmeticTemplates.SftAdd.Count + ArithmeticTemplates.SftSub.Count);
        stats.Set("unseen_templates", ArithmeticTemplates.UnseenAdd.Count + ArithmeticTemplates.UnseenSub.Count);
        return stats;
    }
}
