using Pipeline.ML.Models;

namespace Pipeline.Workers.Bench;

/// <summary>A model and batch shape benchmarked on both engines. Embeddings are tied and rms_norm_eps is 1e-5 for
/// every config, because bench/torch_train_bench.py builds its model that way.</summary>
public sealed record MlBenchConfig(string Name, int Vocab, int Layers, int DModel, int Heads, int Ffn, int Context, int Batch)
{
    /// <summary>(i): 4 layers, d_model 128, context 64, batch 32 — about 0.8M parameters.</summary>
    public static MlBenchConfig Small { get; } = new("i", 128, 4, 128, 4, 512, 64, 32);

    /// <summary>(ii): 6 layers, d_model 384, context 128, batch 16 — about 10M parameters.</summary>
    public static MlBenchConfig Medium { get; } = new("ii", 128, 6, 384, 6, 1024, 128, 16);

    public int TokensPerStep => Batch * Context;

    public LlamaConfig ToLlama() => LlamaConfig.Create(Vocab, DModel, Ffn, Layers, Heads, tied: true) with
    {
        MaxPositionEmbeddings = Context,
        RmsNormEps = 1e-5,
    };

    /// <summary>The same shape as torch_train_bench.py arguments.</summary>
    public IEnumerable<string> TorchArgs() =>
    [
        "--vocab", $"{Vocab}", "--layers", $"{Layers}", "--d-model", $"{DModel}", "--heads", $"{Heads}",
        "--ffn", $"{Ffn}", "--context", $"{Context}", "--batch", $"{Batch}",
    ];

    public string ShapeText => $"L{Layers} d{DModel} h{Heads} ffn{Ffn} T{Context} B{Batch}";
}
