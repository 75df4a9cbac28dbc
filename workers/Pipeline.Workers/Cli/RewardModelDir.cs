using Pipeline.ML.Models;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tokenization;

namespace Pipeline.Workers.Cli;

/// <summary>A trained reward model directory (`ml train reward`'s output: config.json, model.safetensors,
/// tokenizer.json) as a reward function; completions end with &lt;|im_end|&gt; as its training rows did.</summary>
public static class RewardModelDir
{
    /// <param name="flag">how the user named it, for errors: "--labeler reward-model:DIR".</param>
    public static (RewardModelReward Reward, string Hash) Load(string dir, string flag)
    {
        if (dir.Length == 0 || !Directory.Exists(dir))
        {
            throw new UsageException($"{flag}: no such directory '{dir}'");
        }
        var tokenizerPath = Path.Combine(dir, "tokenizer.json");
        if (!File.Exists(tokenizerPath))
        {
            throw new UsageException($"{flag}: no tokenizer.json in {dir} (the reward model's own tokenizer builds its rows)");
        }
        var tokenizer = ByteLevelBpeTokenizer.Load(tokenizerPath);
        var model = RewardCheckpoint.Load(dir);
        return (new RewardModelReward(model, tokenizer, tokenizer.TokenToId(ChatTemplate.ImEnd)), ModelHash.Compute(dir));
    }
}
