using System.Text;
using System.Text.Json;
using Pipeline.Eval.Domain;
using Pipeline.Eval.Scoring;
using Pipeline.ML.Data;

namespace Pipeline.Eval.Datasets;

/// <summary>
/// Checks dataset files and whole dataset versions, listing every problem as <c>FILE:LINE: what is wrong</c>.
/// Training formats are checked by the loaders training uses (in their collect mode), so a file that validates is a
/// file that loads; eval rows are also checked for what scoring needs (a known behavior, an integer answer).
/// A folder with a manifest is checked against it too (sha256, rows, bytes), and each file by the format it declares.
/// </summary>
public static class DatasetValidator
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Every problem of a folder (a dataset version) or of one file; empty when all is well.</summary>
    /// <param name="kind">a single file's kind; null infers it from the manifest, the folder or the first row.</param>
    public static IReadOnlyList<string> Validate(string path, DatasetKind? kind = null)
    {
        if (Directory.Exists(path))
        {
            return ValidateFolder(path);
        }
        if (!File.Exists(path))
        {
            return [$"{path}: no such file or folder"];
        }
        return (kind ?? Infer(path)) is { } k ? ValidateFile(path, k) : [$"{path}: cannot tell what this file holds; pass --kind sft|preference|prompts|eval|text"];
    }

    public static IReadOnlyList<string> ValidateFile(string path, DatasetKind kind) => kind switch
    {
        DatasetKind.Text => TextFile(path),
        DatasetKind.Sft => SftDataset.Validate(path),
        DatasetKind.Preference => PreferenceDataset.Validate(path),
        DatasetKind.Prompts => PromptRows(path, everyRow: false),
        _ => EvalFile(path),
    };

    private static List<string> ValidateFolder(string dir)
    {
        var manifestPath = Path.Combine(dir, DatasetManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            var files = Directory.EnumerateFiles(dir, "*.*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal) || f.EndsWith(".txt", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
            return files.Count == 0 ? [$"{dir}: no manifest.json and no .jsonl or .txt files"] : [.. files.SelectMany(f => Validate(f))];
        }
        DatasetManifest manifest;
        try
        {
            manifest = DatasetManifest.Load(manifestPath);
        }
        catch (Exception e) when (e is ML.IO.DataFormatException or JsonException)
        {
            return [e.Message];
        }
        var problems = manifest.Verify(dir).Select(p => $"{manifestPath}: {p}").ToList();
        foreach (var file in manifest.Files.Where(f => File.Exists(Path.Combine(dir, f.Path))))
        {
            var full = Path.Combine(dir, file.Path);
            problems.AddRange(ValidateFile(full, KindOf(file, full)));
        }
        return problems;
    }

    private static DatasetKind KindOf(ManifestFile file, string path) => file.Format switch
    {
        DatasetFileFormat.Messages => DatasetKind.Sft,
        DatasetFileFormat.Prompts => DatasetKind.Prompts,
        DatasetFileFormat.Preference => DatasetKind.Preference,
        DatasetFileFormat.Eval => DatasetKind.Eval,
        _ => path.EndsWith(".txt", StringComparison.Ordinal) ? DatasetKind.Text : DatasetKind.Eval,
    };

    /// <summary>The kind from the first row's fields (and, for bare text rows, whether the file sits in an eval folder).</summary>
    public static DatasetKind? Infer(string path)
    {
        if (path.EndsWith(".txt", StringComparison.Ordinal))
        {
            return DatasetKind.Text;
        }
        var first = File.ReadLines(path).FirstOrDefault(l => l.Trim().Length > 0);
        if (first is null)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(first);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            bool Has(string name) => doc.RootElement.TryGetProperty(name, out _);
            var inEval = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path))) == "eval";
            return Has("chosen") ? (inEval ? DatasetKind.Eval : DatasetKind.Preference)
                : Has("messages") || Has("completion") ? DatasetKind.Sft
                : Has("prompt") ? (inEval ? DatasetKind.Eval : DatasetKind.Prompts)
                : Has("text") ? (inEval ? DatasetKind.Eval : DatasetKind.Sft)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<string> TextFile(string path)
    {
        try
        {
            _ = StrictUtf8.GetString(File.ReadAllBytes(path));
            return [];
        }
        catch (DecoderFallbackException e)
        {
            return [$"{path}: not valid UTF-8 (byte {e.Index})"];
        }
    }

    // Eval rows come in three shapes; the first row says which.
    private static IReadOnlyList<string> EvalFile(string path)
    {
        var first = File.ReadLines(path).FirstOrDefault(l => l.Trim().Length > 0) ?? "";
        if (first.Contains("\"chosen\"", StringComparison.Ordinal))
        {
            return PreferenceDataset.Validate(path);
        }
        if (!first.Contains("\"prompt\"", StringComparison.Ordinal) && first.Contains("\"text\"", StringComparison.Ordinal))
        {
            return TextRows(path);
        }
        return PromptRows(path, everyRow: true);
    }

    // Prompt rows as GRPO, preference collection and the eval runner read them. Eval rows (every one) and prompt rows
    // that carry the verifier's columns are also checked for what scoring needs: a known behavior, an integer answer.
    private static IReadOnlyList<string> PromptRows(string path, bool everyRow)
    {
        var problems = PromptDataset.Validate(path, out var rows).ToList();
        foreach (var row in rows.Where(r => everyRow || r.Columns.ContainsKey("behavior") || r.Columns.ContainsKey("answer")))
        {
            try
            {
                _ = ExampleScorer.CheckRow(row.Columns.GetValueOrDefault("behavior"), row.Columns.GetValueOrDefault("answer"));
            }
            catch (ArgumentException e)
            {
                problems.Add($"{path}:{row.Line}: {e.Message.Split(" (Parameter")[0]}");
            }
        }
        return [.. problems.OrderBy(LineOf)];
    }

    private static List<string> TextRows(string path)
    {
        var problems = new List<string>();
        _ = Running.TextRows.Read(path, problems);
        return problems;
    }

    private static int LineOf(string problem)
    {
        var parts = problem.Split(':');
        return parts.Length > 1 && int.TryParse(parts[1], out var n) ? n : 0;
    }
}
