using Pipeline.ML.Preferences;
using Pipeline.ML.Rewards;

namespace Pipeline.Workers.Cli;

/// <summary>
/// `--labeler KIND:ARGS` → an <see cref="IPreferenceLabeler"/>: a verifier, a trained reward model, or people's labels.
/// A new kind is one more entry in <see cref="Kinds"/>: a factory from ARGS to a labeler.
/// </summary>
public static class PreferenceLabelers
{
    private static readonly Dictionary<string, (string Usage, Func<string, IPreferenceLabeler> Create)> Kinds = new(StringComparer.Ordinal)
    {
        ["verifier"] = ("verifier:last_integer[:COLUMN]", Verifier),
        ["human"] = ("human:FILE", Human),
        ["reward-model"] = ("reward-model:DIR", RewardModelLabeler),
    };

    public static string Usage => string.Join(" | ", Kinds.Values.Select(k => k.Usage));

    /// <summary>Labels that refer to a candidates file's indices (people's) cannot label freshly sampled completions.</summary>
    public static bool NeedsCandidatesFile(string spec) => spec.StartsWith("human:", StringComparison.Ordinal);

    public static IPreferenceLabeler Parse(string spec)
    {
        var colon = spec.IndexOf(':');
        var kind = colon < 0 ? spec : spec[..colon];
        if (!Kinds.TryGetValue(kind, out var entry))
        {
            throw new UsageException($"--labeler: unknown kind '{kind}'; expected {Usage}");
        }
        return entry.Create(colon < 0 ? "" : spec[(colon + 1)..]);
    }

    private static IPreferenceLabeler Verifier(string args)
    {
        var parts = args.Split(':');
        if (parts[0] != "last_integer" || parts.Length > 2 || (parts.Length == 2 && parts[1].Length == 0))
        {
            throw new UsageException($"--labeler verifier:{args}: expected verifier:last_integer[:COLUMN] (the answer column, default \"answer\")");
        }
        var column = parts.Length == 2 ? parts[1] : "answer";
        return new RewardFunctionLabeler(new LastIntegerReward(column), "verifier", new Dictionary<string, string> { ["answer_column"] = column });
    }

    /// <summary>A trained reward model (`ml train reward`'s output: config.json, model.safetensors, tokenizer.json): its
    /// scores rank the completions; completions end with &lt;|im_end|&gt; as its training rows did.</summary>
    private static IPreferenceLabeler RewardModelLabeler(string dir)
    {
        if (dir.Length == 0 || !Directory.Exists(dir))
        {
            throw new UsageException($"--labeler reward-model:{dir}: no such directory");
        }
        var tokenizerPath = Path.Combine(dir, "tokenizer.json");
        if (!File.Exists(tokenizerPath))
        {
            throw new UsageException($"--labeler reward-model:{dir}: no tokenizer.json there (the reward model's own tokenizer scores its rows)");
        }
        var tokenizer = ML.Tokenization.ByteLevelBpeTokenizer.Load(tokenizerPath);
        var model = RewardCheckpoint.Load(dir);
        var eos = tokenizer.TokenToId(ML.Tokenization.ChatTemplate.ImEnd);
        return new RewardFunctionLabeler(
            new RewardModelReward(model, tokenizer, eos), "reward_model",
            new Dictionary<string, string> { ["reward_model_hash"] = ML.Models.ModelHash.Compute(dir) });
    }

    private static IPreferenceLabeler Human(string path)
    {
        if (path.Length == 0 || !File.Exists(path))
        {
            throw new UsageException($"--labeler human:{path}: no such labels file");
        }
        return HumanLabelFile.Labeler(path);
    }
}
