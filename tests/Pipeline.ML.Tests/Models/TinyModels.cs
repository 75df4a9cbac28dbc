using Pipeline.ML.Models;

namespace Pipeline.ML.Tests.Models;

/// <summary>Small LLaMA configs and random batches for model-level tests.</summary>
internal static class TinyModels
{
    public static LlamaConfig Config(bool tied = false, int kvHeads = 2) => new()
    {
        VocabSize = 23, HiddenSize = 16, IntermediateSize = 40, NumHiddenLayers = 2, NumAttentionHeads = 4,
        NumKeyValueHeads = kvHeads, HeadDim = 4, MaxPositionEmbeddings = 64, RmsNormEps = 1e-5, TieWordEmbeddings = tied,
    };

    public static LlamaModel Model(ulong seed = 1, bool tied = false, int kvHeads = 2)
    {
        var model = new LlamaModel(Config(tied, kvHeads));
        model.InitializeWeights(seed, std: 0.2);
        return model;
    }

    public static int[][] RandomIds(int batch, int seqLen, int vocab, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, seqLen).Select(_ => rng.Next(vocab)).ToArray()).ToArray();
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ml-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
