using Pipeline.Eval.Gates;

namespace Pipeline.Eval.Tests.Support;

/// <summary>Gate policies written in the tests' temp folders, so errors and decisions name a real file.</summary>
internal static class Policies
{
    /// <summary>Writes <c>policy: test</c> plus the given rules (YAML list items) to policy.yaml and loads it.</summary>
    public static GatePolicy Rules(TempDir dir, params string[] rules) =>
        GatePolicy.Load(Write(dir, "policy: test\nrules:\n" + string.Concat(rules.Select(r => "  - " + r + "\n"))));

    public static string Write(TempDir dir, string yaml, string name = "policy.yaml")
    {
        var path = dir.P(name);
        File.WriteAllText(path, yaml);
        return path;
    }
}
