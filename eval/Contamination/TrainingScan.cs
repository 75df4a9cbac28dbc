namespace Pipeline.Eval.Contamination;

/// <summary>
/// One streaming pass over the training files that keeps only what the eval sets can hit: for every eval n-gram
/// found in training, where it first occurs, and which training files hold it. Memory grows with the eval sets'
/// distinct n-grams, never with the training corpus; nothing but a row at a time of training text is held.
/// </summary>
internal sealed class TrainingScan
{
    private TrainingScan(int files)
    {
        PerFile = [.. Enumerable.Range(0, files).Select(_ => new HashSet<ulong>())];
        Files = new TrainFileSummary[files];
    }

    /// <summary>The first (training file index, line) of each eval n-gram training holds.</summary>
    public Dictionary<ulong, (int File, int Line)> First { get; } = [];

    /// <summary>Per training file, the eval n-grams it holds.</summary>
    public HashSet<ulong>[] PerFile { get; }

    public TrainFileSummary[] Files { get; }

    public static TrainingScan Run(IReadOnlyList<string> trainFiles, HashSet<ulong> wanted, int n)
    {
        var scan = new TrainingScan(trainFiles.Count);
        var hasher = new NGramHasher(n);
        var hashes = new List<ulong>();
        for (var f = 0; f < trainFiles.Count; f++)
        {
            var (rows, ngrams) = (0, 0L);
            foreach (var row in DatasetRows.Read(trainFiles[f], DatasetSide.Train))
            {
                rows++;
                foreach (var text in row.Texts)
                {
                    hashes.Clear();
                    ngrams += hasher.Hash(text, hashes);
                    foreach (var h in hashes)
                    {
                        if (wanted.Contains(h))
                        {
                            scan.First.TryAdd(h, (f, row.Line));
                            scan.PerFile[f].Add(h);
                        }
                    }
                }
            }
            scan.Files[f] = new TrainFileSummary(trainFiles[f], rows, ngrams);
        }
        return scan;
    }
}
