using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Pipeline.Workers.Cli;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Workers.Recipe;

/// <summary>The recipe's configuration as a JSON file (<c>Pipeline:Recipe:File</c>, <c>pipeline run --recipe</c>): the
/// workflow's <see cref="RecipeConfig"/> laid over <see cref="Defaults"/>, so any section or key left out keeps the
/// shipped value (<c>{"preference": {"algorithm": "Dpo"}}</c> changes that one setting); <c>"pretrain": null</c> turns
/// pretraining of a missing base off. A misspelt key, a value of the wrong type or a combination
/// <see cref="RecipeConfig.Problems"/> rejects is a usage error naming the file and the key.</summary>
public static class RecipeConfigFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The file's recipe, or the defaults (with pretraining of a missing base) when <paramref name="path"/> is empty.</summary>
    /// <param name="under">What the file is laid over: <see cref="Defaults"/> unless given (<c>pipeline demo</c> gives its
    /// own recipe, so a file changing one setting keeps the demo's simulated A/B window).</param>
    public static RecipeConfig Load(string? path, RecipeConfig? under = null)
    {
        var recipe = string.IsNullOrWhiteSpace(path) ? under ?? Defaults : Parse(path, under ?? Defaults);
        if (recipe.Problems() is { Count: > 0 } problems)
        {
            throw new UsageException($"{(string.IsNullOrWhiteSpace(path) ? "the default recipe" : path)}: {string.Join("; ", problems)}");
        }
        return recipe;
    }

    /// <summary>The shipped recipe: every stage's measured defaults, and a base model pretrained when none is registered.</summary>
    public static RecipeConfig Defaults { get; } = new() { Pretrain = new PretrainConfig() };

    private static RecipeConfig Parse(string path, RecipeConfig under)
    {
        if (!File.Exists(path)) throw new UsageException($"{path}: no such recipe file");
        try
        {
            var text = File.ReadAllText(path);
            // The file alone first: a misspelt key or a wrong type is reported with its line, which the merged tree has lost.
            _ = JsonSerializer.Deserialize<RecipeConfig>(text, Options);
            if (JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                is not JsonObject file)
            {
                throw new UsageException($"{path}: expected a JSON object with the recipe's sections (sft, preference, eval, rollout, pretrain)");
            }
            var merged = JsonSerializer.SerializeToNode(under, Options)!.AsObject();
            Overlay(merged, file);
            return merged.Deserialize<RecipeConfig>(Options)!;
        }
        catch (JsonException e)
        {
            var at = e.Path is { Length: > 1 } p ? $" at {p[2..]}" : "";
            var line = e.LineNumber is { } l ? $":{l + 1}" : "";
            throw new UsageException($"{path}{line}{at}: {Reason(e)}", e);
        }
    }

    /// <summary>Lays <paramref name="file"/> over <paramref name="target"/>: objects merge key by key (names match
    /// case-insensitively, as the deserializer reads them); anything else, null included, replaces.</summary>
    private static void Overlay(JsonObject target, JsonObject file)
    {
        foreach (var (key, value) in file.ToList())
        {
            var existing = target.Select(kv => kv.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) ?? key;
            if (value is JsonObject inner && target[existing] is JsonObject current)
            {
                Overlay(current, inner);
            }
            else
            {
                target[existing] = value?.DeepClone();
            }
        }
    }

    private static string Reason(JsonException e) => e.Message.Contains("could not be mapped", StringComparison.Ordinal)
        ? "not a recipe setting (see workflows/README.md for the keys)"
        : e.Message.Split(" Path:")[0];
}
