using Pipeline.Eval.Domain;
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
        ["verifier"] = ("verifier:last_integer[:COLUMN] | verifier:demo", Verifier),
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
        if (args == "demo")
        {
            // The demo domain's prompts carry "behavior" (answer, refuse or abstain) beside "answer".
            return DemoVerifier.Labeler();
        }
        var parts = args.Split(':');
        if (parts[0] != "last_integer" || parts.Length > 2 || (parts.Length == 2 && parts[1].Length == 0))
        {
            throw new UsageException($"--labeler verifier:{args}: expected verifier:last_integer[:COLUMN] (the answer column, default \"answer\") " +
                "or verifier:demo (the demo domain's answer/refuse/abstain verifier)");
        }
        var column = parts.Length == 2 ? parts[1] : "answer";
        return new RewardFunctionLabeler(new LastIntegerReward(column), "verifier", new Dictionary<string, string> { ["answer_column"] = column });
    }

    private static IPreferenceLabeler RewardModelLabeler(string dir)
    {
        var (reward, hash) = RewardModelDir.Load(dir, $"--labeler reward-model:{dir}");
        return new RewardFunctionLabeler(reward, "reward_model", new Dictionary<string, string> { ["reward_model_hash"] = hash });
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
