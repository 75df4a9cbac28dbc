using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Workers.Cli;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Workers.Recipe;

/// <summary>The recipe's configuration as a JSON file (<c>Pipeline:Recipe:File</c>, <c>pipeline run --recipe</c>): the
/// workflow's <see cref="RecipeConfig"/> with any key left out keeping its default. A misspelt key, a value of the
/// wrong type or a combination <see cref="RecipeConfig.Problems"/> rejects is a usage error naming the file and the key.</summary>
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
    public static RecipeConfig Load(string? path)
    {
        var recipe = string.IsNullOrWhiteSpace(path) ? Defaults : Parse(path);
        if (recipe.Problems() is { Count: > 0 } problems)
        {
            throw new UsageException($"{(string.IsNullOrWhiteSpace(path) ? "the default recipe" : path)}: {string.Join("; ", problems)}");
        }
        return recipe;
    }

    /// <summary>The shipped recipe: every stage's measured defaults, and a base model pretrained when none is registered.</summary>
    public static RecipeConfig Defaults { get; } = new() { Pretrain = new PretrainConfig() };

    private static RecipeConfig Parse(string path)
    {
        if (!File.Exists(path)) throw new UsageException($"{path}: no such recipe file");
        try
        {
            return JsonSerializer.Deserialize<RecipeConfig>(File.ReadAllText(path), Options)
                ?? throw new UsageException($"{path}: expected a JSON object with the recipe's sections (Sft, Preference, Eval, Rollout, Pretrain), found null");
        }
        catch (JsonException e)
        {
            var at = e.Path is { Length: > 1 } p ? $" at {p[2..]}" : "";
            var line = e.LineNumber is { } l ? $":{l + 1}" : "";
            throw new UsageException($"{path}{line}{at}: {Reason(e)}", e);
        }
    }

    private static string Reason(JsonException e) => e.Message.Contains("could not be mapped", StringComparison.Ordinal)
        ? "not a recipe setting (see workflows/README.md for the keys)"
        : e.Message.Split(" Path:")[0];
}
