using Pipeline.ML.Models;
using Pipeline.ML.Tokenization;

namespace Pipeline.Serving.Models;

/// <summary>One base model in memory with every adapter loaded over it, and the lock that serializes its use: the
/// model holds one active adapter at a time, so a request switches to its adapter and generates while holding it.</summary>
internal sealed class LoadedBase(LlamaModel model, ByteLevelBpeTokenizer tokenizer)
{
    public LlamaModel Model { get; } = model;

    public ByteLevelBpeTokenizer Tokenizer { get; } = tokenizer;

    public SemaphoreSlim Gate { get; } = new(1, 1);
}
