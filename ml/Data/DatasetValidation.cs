using Pipeline.ML.IO;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Data;

/// <summary>
/// Runs a dataset loader in "collect" mode: each bad line is recorded and the next one read, so a user sees every
/// problem of a file at once — by the same rules training applies, not a second copy of them.
/// </summary>
internal static class DatasetValidation
{
    private static readonly Lazy<ByteLevelBpeTokenizer> Bytes = new(() => new BpeTrainer(new BpeTrainerOptions { VocabSize = 260 }).Train([]));

    /// <summary>A byte-level tokenizer with the chat tokens and no merges: enough to apply every rule but token limits,
    /// which depend on the model's tokenizer.</summary>
    public static ByteLevelBpeTokenizer Tokenizer => Bytes.Value;

    public static List<string> Collect(string path, Action<IEnumerable<string>, List<string>> load)
    {
        var problems = new List<string>();
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
            load(Utf8Lines.Read(stream, path), problems);
        }
        catch (DataFormatException e)
        {
            // Not a line's problem (bytes that are not UTF-8 stop the reader): the file's.
            problems.Add(e.Message);
        }
        catch (IOException e)
        {
            problems.Add($"{path}: cannot be read ({e.Message})");
        }
        return problems;
    }
}
