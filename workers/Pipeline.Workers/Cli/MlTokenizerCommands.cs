using System.CommandLine;
using Pipeline.ML.Tokenization;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline ml tokenizer train|encode|decode`: byte-level BPE tokenizers saved as HF tokenizer.json.</summary>
public static class MlTokenizerCommands
{
    public static Command Create()
    {
        var cmd = new Command("tokenizer", "Train, and try out, byte-level BPE tokenizers (HF tokenizer.json)");
        cmd.Subcommands.Add(Train());
        cmd.Subcommands.Add(Encode());
        return cmd;
    }

    private static Command Train()
    {
        var corpus = new Option<string>("--corpus") { Description = "UTF-8 text file, one document per line", Required = true, HelpName = "FILE" };
        var vocab = new Option<int>("--vocab-size") { Description = "Target vocabulary size (special tokens and 256 bytes included)", DefaultValueFactory = _ => 8000 };
        var minFreq = new Option<int>("--min-frequency") { Description = "Merge only pairs seen at least this often", DefaultValueFactory = _ => 2 };
        var output = new Option<string>("--out") { Description = "tokenizer.json to write", Required = true, HelpName = "FILE" };
        var cmd = new Command("train", "Learn BPE merges from a corpus (ChatML special tokens get the first ids)") { corpus, vocab, minFreq, output };
        cmd.SetAction(p =>
        {
            var path = p.GetValue(corpus)!;
            if (!File.Exists(path)) throw new UsageException($"--corpus {path}: no such file");
            var options = new BpeTrainerOptions { VocabSize = p.GetValue(vocab), MinFrequency = p.GetValue(minFreq) };
            try { options.Validate(); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            var tokenizer = new BpeTrainer(options).Train(File.ReadLines(path));
            tokenizer.Save(p.GetValue(output)!);
            Console.Error.WriteLine($"wrote {p.GetValue(output)}: {tokenizer.VocabSize} tokens, {tokenizer.Merges.Count} merges");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static Command Encode()
    {
        var tokenizer = new Option<string>("--tokenizer") { Description = "tokenizer.json", Required = true, HelpName = "FILE" };
        var text = new Argument<string>("text") { Description = "Text to encode" };
        var cmd = new Command("encode", "Print the token ids and pieces of a text") { tokenizer, text };
        cmd.SetAction(p =>
        {
            var tok = ByteLevelBpeTokenizer.Load(p.GetValue(tokenizer)!);
            var ids = tok.Encode(p.GetValue(text)!);
            CliOutput.PrintJson(new { ids, tokens = ids.Select(tok.IdToToken), roundTrip = tok.Decode(ids) == p.GetValue(text) });
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
