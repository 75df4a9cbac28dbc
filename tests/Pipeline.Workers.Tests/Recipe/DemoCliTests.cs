using System.Text.Json;
using Pipeline.Workers.Tests.Cli;

namespace Pipeline.Workers.Tests.Recipe;

/// <summary>`pipeline demo` as a user runs it, in a fresh project folder, with a tiny recipe file: the same code path as
/// the full demo (generate, publish the event, consumer, base-model child, every stage, A/B window, summary). The full
/// demo with the shipped recipe runs in .ci/run, where its targets are checked.</summary>
public sealed class DemoCliTests() : CliInTempDirTest("demo-cli-")
{
    private static readonly string[] Fractions = ["in_domain_accuracy", "ood_accuracy", "refusal_rate"];

    [Fact]
    public async Task Demo_TinyRecipeTwice_WritesTheSummarySchemaAndTheSecondRunStartsFromTheChampion()
    {
        var recipe = TinyRecipeFile.Write(Dir);

        var first = await RunHereOkAsync("demo", "--recipe", recipe, "--summary", P("v1.json"), "--set", "Serving:Port=0", "--set", "Ui:Port=0");
        var second = await RunHereOkAsync("demo", "--recipe", recipe, "--summary", P("v2.json"), "--set", "Serving:Port=0", "--set", "Ui:Port=0");

        using var v1 = JsonDocument.Parse(File.ReadAllText(P("v1.json")));
        var s1 = v1.RootElement;
        Assert.Equal("post-train/arith-demo@v1", s1.GetProperty("workflow_id").GetString());
        Assert.Contains(s1.GetProperty("status").GetString(), new[] { "promoted", "rolled_back" });
        Assert.Equal(s1.GetProperty("status").GetString() == "promoted", s1.GetProperty("promoted").GetBoolean());
        foreach (var model in new[] { "base", "sft", "final" })
        {
            var m = s1.GetProperty("models").GetProperty(model);
            foreach (var key in Fractions)
            {
                var value = m.GetProperty(key).GetDouble();
                Assert.True(value is >= 0 and <= 1, $"models.{model}.{key} = {value}, not a fraction\n{first}");
            }
        }
        var stages = s1.GetProperty("stages").EnumerateArray().ToList();
        Assert.All(stages, s => Assert.True(s.GetProperty("seconds").GetDouble() >= 0));
        Assert.Contains(stages, s => s.GetProperty("name").GetString() == "base_pretrain");
        Assert.Contains(stages, s => s.GetProperty("name").GetString() == "ab_rollout");
        Assert.Contains("where to look next", first, StringComparison.Ordinal);

        // v2: the base is registered now (no pretraining), and the baseline is the registry's champion, not the base.
        using var v2 = JsonDocument.Parse(File.ReadAllText(P("v2.json")));
        var s2 = v2.RootElement;
        Assert.Equal("post-train/arith-demo@v2", s2.GetProperty("workflow_id").GetString());
        Assert.DoesNotContain(s2.GetProperty("stages").EnumerateArray(), s => s.GetProperty("name").GetString() == "base_pretrain");
        Assert.StartsWith("arith-demo/", s2.GetProperty("baseline").GetString(), StringComparison.Ordinal);
        Assert.Contains("(champion)", s2.GetProperty("baseline").GetString(), StringComparison.Ordinal);
        Assert.Contains("post-train/arith-demo@v2", second, StringComparison.Ordinal);
        // SFT − base is a target of a run from the base only; against the champion the deploy gate decides.
        Assert.DoesNotContain(s2.GetProperty("targets").EnumerateArray(), t => t.GetProperty("name").GetString() == "sft_in_domain_lift");
        Assert.Contains(s1.GetProperty("targets").EnumerateArray(), t => t.GetProperty("name").GetString() == "sft_in_domain_lift");
    }

    [Fact]
    public async Task Demo_RecipeFileWithAMisspeltKey_ExitsTwoNamingTheFileAndTheKey()
    {
        File.WriteAllText(P("bad.json"), """{ "sft": { "maxStep": 10 } }""");

        var (code, output) = await RunHereAsync("demo", "--recipe", P("bad.json"), "--set", "Serving:Port=0", "--set", "Ui:Port=0");

        Assert.True(code == 2, output);
        Assert.Contains("bad.json", output, StringComparison.Ordinal);
        Assert.Contains("maxStep", output, StringComparison.Ordinal);
        Assert.Contains("not a recipe setting", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }
}
