using System.Globalization;
using System.Text.Json;
using Pipeline.Workers.Bench;
using Spectre.Console;

namespace Pipeline.Workers.Cli;

/// <summary>The tables `pipeline bench train|generate` print: our figures, torch's from its JSON line, and the ratio.</summary>
public static class MlBenchTables
{
    public sealed record TrainRow(TrainBenchResult Ours, JsonElement? Torch);

    public sealed record GenerateRow(GenerateBenchResult Ours, JsonElement? Torch);

    public static void PrintTrain(IReadOnlyList<TrainRow> rows)
    {
        var table = new Table().AddColumns("config", "mode", "ours tok/s", "torch tok/s", "ratio", "ours ms/step", "torch ms/step",
            "ours peak MB", "torch peak MB", "ours heap MB", "ours alloc KB/step");
        foreach (var (o, t) in rows)
        {
            var torchRate = Number(t, "tokens_per_s_median");
            table.AddTextRow(o.Config, o.Mode, $"{o.TokensPerSecond:F0}", Format(torchRate, "F0"), Ratio(o.TokensPerSecond, torchRate),
                $"{o.StepMsMedian:F1}", Format(Number(t, "step_ms_median"), "F1"),
                $"{o.PeakRssMb:F0}", Format(Number(t, "peak_rss_mb"), "F0"), $"{o.HeapMb:F1}", $"{o.AllocKbPerStep:F1}");
        }
        CliOutput.Render(table);
        var baseline = rows.Count == 0 ? 0 : rows.Min(r => r.Ours.BaselineRssMb);
        Console.WriteLine("tok/s: B·T / median step time (zero grad + forward + loss + backward + clip 1.0 + AdamW). ratio: ours / torch.\n" +
            $"peak MB: peak RSS over the run. Ours: VmHWM, reset before each run, from a process already at ~{baseline:F0} MB (runtime, JIT,\n" +
            "earlier runs' freed pages); torch: ru_maxrss of a fresh process per mode, ~230 MB of it torch's own import.\n" +
            "heap MB: managed bytes our run holds (weights, grads, AdamW moments, activations, scratch).");
    }

    public static void PrintGenerate(IEnumerable<GenerateRow> rows)
    {
        var table = new Table().AddColumns("config", "batch", "kv cache", "prompt", "new tokens", "ours tok/s", "torch tok/s", "ratio", "cache = no cache (ours / torch)");
        foreach (var (o, t) in rows)
        {
            var key = $"{(o.KvCache ? "kv_cache" : "no_cache")}_b{o.Batch}_tokens_per_s";
            var torchRate = Number(t, key);
            var torchMatch = t is { } j && j.TryGetProperty($"b{o.Batch}_cache_matches_no_cache", out var m) ? (m.GetBoolean() ? "yes" : "no") : "-";
            table.AddTextRow(o.Config, $"{o.Batch}", o.KvCache ? "yes" : "no", $"{o.PromptTokens}", $"{o.NewTokens}",
                $"{o.TokensPerSecond:F0}", Format(torchRate, "F0"), Ratio(o.TokensPerSecond, torchRate), $"{(o.MatchesOtherPath ? "yes" : "no")} / {torchMatch}");
        }
        CliOutput.Render(table);
        Console.WriteLine("tok/s: batch · new tokens / median wall time of a whole greedy decode (prefill included). ratio: ours / torch.");
    }

    public static void PrintProfile(TrainBenchResult r, OpProfile profile)
    {
        var phases = new Table().AddColumns($"({r.Config}) {r.Mode}: phase", "ms/step", "share");
        var total = profile.Phases(r.TimedSteps).Sum(p => p.MsPerStep);
        foreach (var (phase, ms) in profile.Phases(r.TimedSteps))
        {
            phases.AddTextRow(phase, $"{ms:F2}", $"{100 * ms / total:F1}%");
        }
        phases.AddTextRow("total", $"{total:F2}", "");
        CliOutput.Render(phases);
        var ops = new Table().AddColumns($"({r.Config}) {r.Mode}: op (weight Out×In)", "ms/step", "calls/step", "share of step");
        foreach (var (op, ms, calls) in profile.Ops(r.TimedSteps).Take(30))
        {
            ops.AddTextRow(op, $"{ms:F2}", $"{calls:F0}", $"{100 * ms / total:F1}%");
        }
        CliOutput.Render(ops);
    }

    public static void PrintProfile(GenerateBenchResult r, OpProfile profile)
    {
        var title = $"({r.Config}) batch {r.Batch}, {(r.KvCache ? "kv cache" : "no cache")}: op (weight Out×In)";
        var ops = new Table().AddColumns(title, "ms/decode", "calls/decode");
        foreach (var (op, ms, calls) in profile.Ops(r.Repeats).Take(20))
        {
            ops.AddTextRow(op, $"{ms:F2}", $"{calls:F0}");
        }
        CliOutput.Render(ops);
    }

    /// <summary>Date, CPU model, cores, threads, and the load average before and after (other processes share the cores).</summary>
    public static string Machine(string loadBefore, int threads)
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{DateTime.Now:yyyy-MM-dd HH:mm} · {cpu ?? "unknown CPU"} · {Environment.ProcessorCount} cores · {threads} thread{(threads == 1 ? "" : "s")} each side · " +
            $".NET {Environment.Version} · load average before {loadBefore}, after {LoadAverage()}";
    }

    /// <summary>The 1, 5 and 15-minute load averages from /proc/loadavg, or "n/a".</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double? Number(JsonElement? json, string key) =>
        json is { } j && j.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static string Format(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    private static string Ratio(double ours, double? torch) => torch is > 0 ? $"{ours / torch.Value:F2}×" : "-";
}
