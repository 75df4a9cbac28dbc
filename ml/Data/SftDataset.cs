using Pipeline.ML.IO;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Data;

/// <summary>Loads an SFT dataset from JSONL in any of the formats TRL's SFTTrainer accepts — conversational
/// <c>{"messages"}</c>, prompt–completion <c>{"prompt", "completion"}</c> (strings, or lists of messages) and language
/// modeling <c>{"text"}</c> — into token ids with loss labels. A file holds one format. Blank lines are skipped; any
/// other bad line is a <see cref="DataFormatException"/> naming the file, the line and the field.</summary>
/// <remarks>An example longer than <see cref="SftDataOptions.MaxLength"/> keeps its first tokens (or is dropped with
/// <see cref="SftDataOptions.DropLongExamples"/>). If truncation leaves it no loss token — a prompt as long as the
/// limit — that is an error rather than a silent drop: the data or the limit needs fixing, and an example that
/// trains nothing would still cost a row of compute.</remarks>
public static class SftDataset
{
    public static IReadOnlyList<TokenizedExample> LoadJsonl(string path, ByteLevelBpeTokenizer tokenizer, SftDataOptions options)
    {
        // bufferSize 1: Utf8Lines reads in 64 KiB blocks itself, a second buffer would only copy.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Load(Utf8Lines.Read(stream, path), path, tokenizer, options);
    }

    /// <param name="source">the name errors give the data, e.g. its file name.</param>
    public static IReadOnlyList<TokenizedExample> LoadJsonl(
        TextReader reader, string source, ByteLevelBpeTokenizer tokenizer, SftDataOptions options) =>
        Load(ReadLines(reader), source, tokenizer, options);

    /// <summary>Every problem of the file as training would meet it, one "FILE:LINE: …" each, instead of stopping at
    /// the first; an empty list means the file loads.</summary>
    public static IReadOnlyList<string> Validate(string path) =>
        DatasetValidation.Collect(path, (lines, problems) => Load(lines, path, DatasetValidation.Tokenizer, new SftDataOptions(), problems));

    private static List<TokenizedExample> Load(
        IEnumerable<string> lines, string source, ByteLevelBpeTokenizer tokenizer, SftDataOptions options, List<string>? problems = null)
    {
        options.Validate();
        var encoder = new SftExampleEncoder(tokenizer, options, EosId(tokenizer, options.EosToken));
        var examples = new List<TokenizedExample>();
        (SftDataFormat Format, int Line)? first = null;
        var number = 0;
        foreach (var text in lines)
        {
            var line = new DataLine(source, ++number);
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            try
            {
                var record = SftRecordReader.Read(text, line);
                first ??= (record.Format, line.Number);
                if (record.Format != first.Value.Format)
                {
                    throw line.Error(
                        $"a {Name(record.Format)} example, but line {first.Value.Line} was {Name(first.Value.Format)}; a file holds one format");
                }

                var (ids, labels) = encoder.Encode(record);
                if (Limit(ids, labels, options, line) is { } example)
                {
                    examples.Add(example);
                }
            }
            catch (DataFormatException e) when (problems is not null)
            {
                problems.Add(e.Message);
            }
        }

        return examples;
    }

    private static TokenizedExample? Limit(int[] ids, int[] labels, SftDataOptions options, DataLine line)
    {
        var length = ids.Length;
        if (options.MaxLength is { } max && length > max)
        {
            if (options.DropLongExamples)
            {
                return null;
            }

            ids = ids[..max];
            labels = labels[..max];
        }

        var example = new TokenizedExample(ids, labels, line.Number);
        if (example.LossTokens == 0)
        {
            throw line.Error(
                $"no token carries loss after truncation to MaxLength {options.MaxLength} (the example has {length} tokens); " +
                "raise MaxLength, shorten the prompt, or set DropLongExamples");
        }

        return example;
    }

    private static int EosId(ByteLevelBpeTokenizer tokenizer, string eosToken)
    {
        // Only an added token is matched verbatim in text, so only one can be recognised at the end of a completion.
        var added = tokenizer.AddedTokens.FirstOrDefault(t => t.Content == eosToken);
        return added?.Id ?? throw new ArgumentException(
            $"EosToken \"{eosToken}\" is not an added token of the tokenizer " +
            $"(it has: {string.Join(", ", tokenizer.AddedTokens.Select(t => t.Content))})");
    }

    private static IEnumerable<string> ReadLines(TextReader reader)
    {
        while (reader.ReadLine() is { } line)
        {
            yield return line;
        }
    }

    private static string Name(SftDataFormat format) => format switch
    {
        SftDataFormat.Conversational => "conversational",
        SftDataFormat.PromptCompletion => "prompt-completion",
        SftDataFormat.ConversationalPromptCompletion => "conversational prompt-completion",
        _ => "language-modeling",
    };
}
