using System.Text;
using System.Text.Json;
using Pipeline.Eval.Domain;

namespace Pipeline.Eval.Tests.Domain;

/// <summary>Generated datasets the tests share (seed 1234, a 3,000-line corpus so they run in milliseconds), and
/// their files read back as lines and JSON rows.</summary>
internal static class DemoData
{
    public const long Seed = 1234;
    public const int CorpusLines = 3_000;

    private static readonly Lazy<GeneratedDataset> LazyV1 = new(() => Generate("v1"));
    private static readonly Lazy<GeneratedDataset> LazyV2 = new(() => Generate("v2"));

    public static GeneratedDataset V1 => LazyV1.Value;

    public static GeneratedDataset V2 => LazyV2.Value;

    public static DemoSplit Split => DemoSplit.For(Seed);

    public static readonly string[] TrainingFiles = ["corpus/pretrain.txt", "sft/train.jsonl", "prompts/train.jsonl"];

    public static readonly string[] EvalFiles =
    [
        "eval/in_domain.jsonl", "eval/ood.jsonl", "eval/refusal.jsonl", "eval/calibration.jsonl", "eval/golden.jsonl",
        "eval/raw_heldout.jsonl", "eval/heldout_text.jsonl", "eval/preference_pairs.jsonl",
    ];

    public static readonly string[] EvalPromptFiles =
        ["eval/in_domain.jsonl", "eval/ood.jsonl", "eval/refusal.jsonl", "eval/calibration.jsonl", "eval/golden.jsonl"];

    public static GeneratedDataset Generate(string version, long seed = Seed, int corpusLines = CorpusLines) =>
        DemoDatasetGenerator.Generate(new DemoDatasetOptions { Version = version, Seed = seed, CorpusLines = corpusLines });

    public static string[] Lines(GeneratedDataset data, string path) =>
        Encoding.UTF8.GetString(data.Content(path)).Split('\n')[..^1];

    public static List<JsonElement> Rows(GeneratedDataset data, string path) =>
        [.. Lines(data, path).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    /// <summary>The user's message of a chat row ("messages") or prompt row ("prompt").</summary>
    public static string User(JsonElement row) =>
        (row.TryGetProperty("messages", out var m) ? m : row.GetProperty("prompt"))[0].GetProperty("content").GetString()!;

    public static string Assistant(JsonElement row) => row.GetProperty("messages")[1].GetProperty("content").GetString()!;

    public static string? Str(JsonElement row, string name) => row.TryGetProperty(name, out var v) ? v.GetString() : null;
}
