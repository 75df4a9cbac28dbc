using Pipeline.ML.Models;
using Pipeline.ML.Tokenization;

namespace Pipeline.Eval.Tests.Running;

/// <summary>A randomly initialized model small enough to evaluate in milliseconds, saved in HF layout with a
/// byte-level tokenizer (no merges: 4 special tokens + 256 bytes).</summary>
internal static class TinyModel
{
    public static int VocabSize => 260;

    public static string Save(string dir, ulong seed = 1)
    {
        Directory.CreateDirectory(dir);
        var model = new LlamaModel(LlamaConfig.Create(VocabSize, 32, 64, 2, 4, 2, tied: true) with { MaxPositionEmbeddings = 128 });
        model.InitializeWeights(seed);
        LlamaCheckpoint.Save(model, dir);
        new BpeTrainer(new BpeTrainerOptions { VocabSize = VocabSize }).Train(["a"]).Save(Path.Combine(dir, "tokenizer.json"));
        return dir;
    }
}
