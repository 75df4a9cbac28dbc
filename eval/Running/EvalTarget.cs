using Pipeline.ML.Lora;
using Pipeline.ML.Models;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tokenization;

namespace Pipeline.Eval.Running;

/// <summary>
/// The model under evaluation: base weights, optionally a LoRA adapter (active while evaluating), its tokenizer, and
/// what preference suites compare against — a reference model for DPO's implicit reward (default: the same weights
/// with the adapter switched off) or a reward model.
/// </summary>
public sealed class EvalTarget
{
    public const string AdapterName = "eval";

    public required LlamaModel Model { get; init; }

    public required ByteLevelBpeTokenizer Tokenizer { get; init; }

    public required string ModelDir { get; init; }

    public string? AdapterDir { get; init; }

    /// <summary><see cref="ModelHash"/> of the weights (and adapter) evaluated.</summary>
    public required string ModelSha256 { get; init; }

    /// <summary>A separate reference policy for implicit rewards; null uses the model with its adapter off.</summary>
    public LlamaModel? Reference { get; init; }

    public IRewardFunction? RewardModel { get; init; }

    /// <summary>The token ids that end a response: the chat end token and end-of-text, where the vocabulary has them.</summary>
    public int[] StopTokenIds => ChatTemplate.StopTokenIds(Tokenizer);

    /// <param name="tokenizerPath">null: tokenizer.json beside the model, else beside the adapter.</param>
    public static EvalTarget Load(string modelDir, string? adapterDir = null, string? tokenizerPath = null, string? referenceDir = null, IRewardFunction? rewardModel = null)
    {
        tokenizerPath ??= new[] { modelDir, adapterDir }.OfType<string>().Select(d => Path.Combine(d, "tokenizer.json")).FirstOrDefault(File.Exists)
            ?? throw new EvalFormatException($"{modelDir}: no tokenizer.json beside the model{(adapterDir is null ? "" : " or the adapter")}; name one explicitly");
        var model = LlamaCheckpoint.Load(modelDir);
        if (adapterDir is not null)
        {
            model.AddAdapter(PeftAdapterFormat.Load(adapterDir, AdapterName, model.Config));
            model.SetActiveAdapter(AdapterName);
        }
        return new EvalTarget
        {
            Model = model,
            Tokenizer = ByteLevelBpeTokenizer.Load(tokenizerPath),
            ModelDir = modelDir,
            AdapterDir = adapterDir,
            ModelSha256 = ModelHash.Compute(modelDir, adapterDir),
            Reference = referenceDir is null ? null : LlamaCheckpoint.Load(referenceDir),
            RewardModel = rewardModel,
        };
    }
}
