using Pipeline.Workers.Cli;
using Pipeline.Workers.Recipe;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Workers.Tests.Recipe;

public sealed class RecipeConfigFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("recipe-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_dir, "recipe.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void Load_OneSettingChanged_KeepsEveryOtherDefaultIncludingPretraining()
    {
        var recipe = RecipeConfigFile.Load(Write("""{ "preference": { "algorithm": "Dpo" }, "Sft": { "MaxSteps": 70 } }"""));

        Assert.Equal(PreferenceAlgorithm.Dpo, recipe.Preference.Algorithm);
        Assert.Equal(RecipeConfigFile.Defaults.Preference with { Algorithm = PreferenceAlgorithm.Dpo, PromptMix = recipe.Preference.PromptMix }, recipe.Preference);
        Assert.Equal(RecipeConfigFile.Defaults.Preference.PromptMix, recipe.Preference.PromptMix);
        Assert.Equal(RecipeConfigFile.Defaults.Sft with { MaxSteps = 70 }, recipe.Sft);
        Assert.Equal(RecipeConfigFile.Defaults.Pretrain, recipe.Pretrain);
        Assert.Equal(RecipeConfigFile.Defaults.Rollout, recipe.Rollout);
    }

    [Fact]
    public void Load_OverTheDemoRecipe_KeepsItsSimulatedAbWindow()
    {
        var recipe = RecipeConfigFile.Load(Write("""{ "preference": { "algorithm": "Dpo" } }"""), DemoRecipe.Config);

        Assert.Equal(PreferenceAlgorithm.Dpo, recipe.Preference.Algorithm);
        Assert.Equal(DemoRecipe.Config.Rollout, recipe.Rollout);
        Assert.True(recipe.Rollout.SimulatedRequests > 0);
    }

    [Fact]
    public void Load_PretrainNull_TurnsPretrainingOff()
    {
        var recipe = RecipeConfigFile.Load(Write("""{ "pretrain": null }"""));

        Assert.Null(recipe.Pretrain);
        Assert.NotNull(RecipeConfigFile.Defaults.Pretrain);
    }

    [Fact]
    public void Load_MisspeltKeyInAPartialFile_NamesItsLine()
    {
        var path = Write("""
            {
              // one change
              "preference": { "algoritm": "Dpo" }
            }
            """);

        var e = Assert.Throws<UsageException>(() => RecipeConfigFile.Load(path));

        Assert.Contains($"{path}:3", e.Message, StringComparison.Ordinal);
        Assert.Contains("algoritm", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AnArrayInsteadOfAnObject_SaysWhatWasExpected()
    {
        var e = Assert.Throws<UsageException>(() => RecipeConfigFile.Load(Write("[1, 2]")));

        Assert.Contains("recipe.json", e.Message, StringComparison.Ordinal);
    }
}
