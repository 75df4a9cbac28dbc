namespace Pipeline.Eval.Domain;

/// <summary>The demo domain's data drops, by name. A new drop is one more entry in <see cref="All"/>.</summary>
public static class DemoDatasetVersions
{
    public static IReadOnlyList<DemoDatasetVersion> All { get; } =
    [
        new("v1", SftRows: 3_000, ArithmeticPrompts: 1_500, UnsafePrompts: 150, UnanswerablePrompts: 75,
            "v1: the first drop (3,000 SFT demonstrations, 1,725 training prompts)."),
        new("v2", SftRows: 4_000, ArithmeticPrompts: 2_000, UnsafePrompts: 200, UnanswerablePrompts: 100,
            "v2: a larger, freshly drawn drop (4,000 SFT demonstrations, 2,300 training prompts); same held-out split and evals as v1."),
    ];

    public static IEnumerable<string> Names => All.Select(v => v.Name);

    /// <summary>The named version, or a clear error listing the known ones.</summary>
    public static DemoDatasetVersion Get(string name) =>
        All.FirstOrDefault(v => v.Name == name)
        ?? throw new ArgumentException($"unknown dataset version '{name}'; known versions: {string.Join(", ", Names)}");

    public static bool Exists(string name) => All.Any(v => v.Name == name);
}
