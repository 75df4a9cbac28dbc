using Pipeline.ML.Data;
using Pipeline.ML.Tokenization;

namespace Pipeline.Eval.Tests.Domain;

/// <summary>The files are what the training engine's loaders read: every row of every chat, prompt and pair file loads.</summary>
public sealed class DemoFilesLoadTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("demo-load-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Files_ReadByTheEnginesLoaders_EveryRowLoads()
    {
        DemoData.V1.WriteTo(_dir);
        var tok = new BpeTrainer(new BpeTrainerOptions { VocabSize = 300 }).Train(DemoData.Lines(DemoData.V1, "corpus/pretrain.txt")[..200]);
        string P(string path) => Path.Combine(_dir, path);

        Assert.Equal(3_000, SftDataset.LoadJsonl(P("sft/train.jsonl"), tok, new SftDataOptions()).Count);
        foreach (var path in (string[])["prompts/train.jsonl", "eval/raw_heldout.jsonl", .. DemoData.EvalPromptFiles])
        {
            var prompts = PromptDataset.LoadJsonl(P(path), tok);
            Assert.Equal(DemoData.V1.Manifest.Entry(path).Rows, prompts.Count);
            Assert.All(prompts, p => Assert.True(p.Columns.ContainsKey("behavior")));
        }
        var pairs = PreferenceDataset.LoadJsonl(P("eval/preference_pairs.jsonl"), tok, new PreferenceDataOptions());
        Assert.Equal(336, pairs.Count);
    }
}
