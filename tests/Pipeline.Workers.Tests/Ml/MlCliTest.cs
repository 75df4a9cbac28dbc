using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Ml;

/// <summary>
/// What the `pipeline ml …` process tests share: a temporary directory removed afterwards, running the CLI as a real
/// process (its output kept in a log file there), and a tiny base model pretrained from a corpus of sums.
/// </summary>
public abstract class MlCliTest(string prefix) : IDisposable
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    protected string Dir { get; } = Directory.CreateTempSubdirectory(prefix).FullName;

    public void Dispose()
    {
        try { Directory.Delete(Dir, recursive: true); } catch (IOException) { }
        GC.SuppressFinalize(this);
    }

    protected string P(string name) => Path.Combine(Dir, name);

    protected Task<(int Code, string Output)> RunAsync(params string[] args) =>
        PipelineProcess.RunAsync(P("log-" + Guid.NewGuid().ToString("N")[..8] + ".txt"), Timeout, args);

    protected async Task<string> RunOkAsync(params string[] args)
    {
        var (code, output) = await RunAsync(args);
        Assert.True(code == 0, $"pipeline {string.Join(' ', args)} exited {code}:\n{output}");
        return output;
    }

    /// <summary>corpus.txt ("a + b = c." lines), tokenizer.json and config.json (2 layers, 4 heads, tied), for a test's
    /// own pretraining run.</summary>
    protected async Task PrepareCorpusAsync(int lines = 200, int vocabSize = 300, int hidden = 32, int intermediate = 64)
    {
        await File.WriteAllLinesAsync(P("corpus.txt"), Enumerable.Range(0, lines).Select(i => $"{10 + i % 90} + {1 + i % 9} = {10 + i % 90 + 1 + i % 9}."));
        await RunOkAsync("ml", "tokenizer", "train", "--corpus", P("corpus.txt"), "--vocab-size", $"{vocabSize}", "--out", P("tokenizer.json"));
        await File.WriteAllTextAsync(P("config.json"), $$"""
            {"hidden_size": {{hidden}}, "intermediate_size": {{intermediate}}, "num_hidden_layers": 2, "num_attention_heads": 4,
             "num_key_value_heads": 2, "max_position_embeddings": 64, "tie_word_embeddings": true}
            """);
    }

    /// <summary><see cref="PrepareCorpusAsync"/>, then a briefly pretrained base model in base/ (rows of 16 tokens).</summary>
    protected async Task PretrainBaseAsync(int steps, int batchSize = 4, int vocabSize = 300, int hidden = 32, int intermediate = 64)
    {
        await PrepareCorpusAsync(vocabSize: vocabSize, hidden: hidden, intermediate: intermediate);
        await RunOkAsync("ml", "train", "pretrain", "--corpus", P("corpus.txt"), "--tokenizer", P("tokenizer.json"), "--config", P("config.json"),
            "--out", P("base"), "--max-steps", $"{steps}", "--batch-size", $"{batchSize}", "--seq-len", "16", "--threads", "2");
    }
}
