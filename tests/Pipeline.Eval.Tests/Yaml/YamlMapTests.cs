using Pipeline.Eval.Tests.Support;
using Pipeline.Eval.Yaml;

namespace Pipeline.Eval.Tests.Yaml;

public sealed class YamlMapTests
{
    private const string Policy = """
        name: release
        rules:
          - metric: in_domain/accuracy
            min: 0.5
          - metric: ood/accuracy
            min: high
        """;

    [Fact]
    public void Load_MalformedYaml_ThrowsStartingWithFileAndLine()
    {
        using var dir = new TempDir();
        var path = dir.Write("gate.yaml", "name: release\nrules:\n  - metric: in_domain/accuracy\n   min: 0.5\n");

        var e = Assert.Throws<EvalFormatException>(() => YamlFile.Load(path));

        Assert.StartsWith($"{path}:4: not valid YAML", e.Message);
    }

    [Fact]
    public void Load_UnterminatedFlowList_ThrowsStartingWithFileAndLine()
    {
        // YamlDotNet reports this one with an InvalidOperationException rather than a YamlException.
        using var dir = new TempDir();
        var path = dir.Write("gate.yaml", "name: release\nrules:\n  - metric: [in_domain/accuracy\n    min: 0.5\n");

        var e = Assert.Throws<EvalFormatException>(() => YamlFile.Load(path));

        Assert.Matches($"^{Regex(path)}:[345]: not valid YAML", e.Message);
    }

    [Fact]
    public void Double_WrongType_ThrowsWithFileLineAndFieldPath()
    {
        var rules = YamlFile.Parse(Policy, "gate.yaml").Maps("rules")!;

        var e = Assert.Throws<EvalFormatException>(() => rules[1].Double("min"));

        Assert.Equal("gate.yaml:6: rules[1].min: expected a number, found \"high\"", e.Message);
    }

    [Fact]
    public void RejectUnknown_TypoedKey_ThrowsWithFileLineAndFieldPath()
    {
        var yaml = Policy.Replace("min: high", "mni: 0.5");
        var rules = YamlFile.Parse(yaml, "gate.yaml").Maps("rules")!;

        var e = Assert.Throws<EvalFormatException>(() => rules[1].RejectUnknown("metric", "min", "max"));

        Assert.StartsWith("gate.yaml:6: rules[1].mni: unknown field", e.Message);
    }

    [Fact]
    public void RequiredString_MissingField_ThrowsWithFileLineAndFieldPath()
    {
        var yaml = Policy.Replace("  - metric: ood/accuracy\n    min: high", "  - min: 0.7");
        var rules = YamlFile.Parse(yaml, "gate.yaml").Maps("rules")!;

        var e = Assert.Throws<EvalFormatException>(() => rules[1].RequiredString("metric"));

        Assert.Equal("gate.yaml:5: rules[1].metric: required field is missing", e.Message);
    }

    [Fact]
    public void Maps_ScalarWhereAListBelongs_ThrowsWithFileLineAndFieldPath()
    {
        var map = YamlFile.Parse("name: release\nrules: none\n", "gate.yaml");

        var e = Assert.Throws<EvalFormatException>(() => map.Maps("rules"));

        Assert.Equal("gate.yaml:2: rules: expected a list, found \"none\"", e.Message);
    }

    private static string Regex(string s) => System.Text.RegularExpressions.Regex.Escape(s);
}
