using System.Globalization;
using System.Text.Json.Nodes;
using Pipeline.ML.IO;
using Pipeline.ML.Models;

namespace Pipeline.ML.Training;

/// <summary>
/// checkpoint-N directories, laid out like HF Trainer's: the trained weights (see <see cref="CheckpointWeights"/>:
/// HF model files, or a PEFT adapter when an adapter is being trained; a reward model's carry its score head),
/// optimizer.safetensors (AdamW moments and step) and trainer_state.json (step, data position, RNG state — GRPO adds
/// its rollout RNG —, log history). Written to a temporary directory and renamed, so a crash never leaves a half
/// checkpoint that looks whole.
/// </summary>
public static class TrainerCheckpoint
{
    public const string OptimizerFile = "optimizer.safetensors";
    public const string StateFile = "trainer_state.json";
    public const string MetricsFile = "metrics.jsonl";

    public static string Save(CausalLmTrainer trainer, string outputDir) => Save((ICheckpointedTrainer)trainer, outputDir);

    public static string Save(DpoTrainer trainer, string outputDir) => Save((ICheckpointedTrainer)trainer, outputDir);

    public static string Save(GrpoTrainer trainer, string outputDir) => Save((ICheckpointedTrainer)trainer, outputDir);

    public static string Save(RewardTrainer trainer, string outputDir) => Save((ICheckpointedTrainer)trainer, outputDir);

    internal static string Save(ICheckpointedTrainer trainer, string outputDir)
    {
        var snapshot = trainer.Snapshot();
        var final = Path.Combine(outputDir, $"checkpoint-{snapshot.Step}");
        var tmp = final + ".tmp";
        if (Directory.Exists(tmp))
        {
            Directory.Delete(tmp, recursive: true);
        }
        Directory.CreateDirectory(tmp);
        trainer.SaveWeights(tmp);
        var optimizer = new SafeTensorsWriter();
        trainer.Optimizer.SaveState(optimizer);
        optimizer.WriteToFile(Path.Combine(tmp, OptimizerFile));
        ModelFiles.WriteJson(Path.Combine(tmp, StateFile), ToJson(snapshot));
        if (Directory.Exists(final))
        {
            Directory.Delete(final, recursive: true);
        }
        Directory.Move(tmp, final);
        return final;
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> checkpoint-N directories (keep 0: none deleted).</summary>
    public static void Rotate(string outputDir, int keep)
    {
        if (keep <= 0)
        {
            return;
        }
        foreach (var old in List(outputDir).SkipLast(keep))
        {
            Directory.Delete(old, recursive: true);
        }
    }

    /// <summary>checkpoint-N directories in step order (temporary ones excluded).</summary>
    public static IReadOnlyList<string> List(string outputDir) =>
        !Directory.Exists(outputDir) ? [] :
        Directory.GetDirectories(outputDir, "checkpoint-*")
            .Select(d => (Dir: d, Ok: long.TryParse(Path.GetFileName(d)["checkpoint-".Length..], out var n), N: n))
            .Where(x => x.Ok).OrderBy(x => x.N).Select(x => x.Dir).ToList();

    /// <summary>Puts a trainer back where <paramref name="checkpointDir"/> left off: weights, moments, schedule, data position and RNG.</summary>
    public static void Resume(CausalLmTrainer trainer, string checkpointDir) => Resume((ICheckpointedTrainer)trainer, checkpointDir);

    /// <inheritdoc cref="Resume(CausalLmTrainer, string)"/>
    public static void Resume(DpoTrainer trainer, string checkpointDir) => Resume((ICheckpointedTrainer)trainer, checkpointDir);

    /// <summary>Puts a GRPO trainer back where <paramref name="checkpointDir"/> left off: weights, moments, schedule, prompt order and rollout RNG.</summary>
    public static void Resume(GrpoTrainer trainer, string checkpointDir) => Resume((ICheckpointedTrainer)trainer, checkpointDir);

    /// <summary>
    /// Puts a reward trainer back where <paramref name="checkpointDir"/> left off: the reward model's trained weights
    /// (whole model, or adapter + head), moments, schedule, pair order and dropout RNG.
    /// </summary>
    public static void Resume(RewardTrainer trainer, string checkpointDir) => Resume((ICheckpointedTrainer)trainer, checkpointDir);

    internal static void Resume(ICheckpointedTrainer trainer, string checkpointDir)
    {
        trainer.LoadWeights(checkpointDir);
        var optimizerPath = Path.Combine(checkpointDir, OptimizerFile);
        using (var file = ModelFiles.OpenSafeTensors(optimizerPath))
        {
            trainer.Optimizer.LoadState(file);
        }
        var statePath = Path.Combine(checkpointDir, StateFile);
        try
        {
            trainer.Restore(FromJson(ModelFiles.ReadJsonObject(statePath)));
        }
        catch (Exception e) when (e is InvalidOperationException or NullReferenceException or FormatException)
        {
            throw new ModelFormatException($"{statePath}: not a trainer state this version wrote ({e.Message})", e);
        }
    }

    /// <summary>Every trainer's logging: the row joins the history (what trainer_state.json saves), is appended to
    /// metrics.jsonl when the run has an output directory, and goes to the caller's callback.</summary>
    internal static void Log(List<TrainingLog> history, TrainingLog entry, string? outputDir, Action<TrainingLog>? onLog)
    {
        history.Add(entry);
        if (outputDir is not null)
        {
            Directory.CreateDirectory(outputDir);
            File.AppendAllText(Path.Combine(outputDir, MetricsFile), Row(entry).ToJsonString() + "\n");
        }
        onLog?.Invoke(entry);
    }

    internal static void RewriteMetrics(string outputDir, IReadOnlyList<TrainingLog> history)
    {
        Directory.CreateDirectory(outputDir);
        var path = Path.Combine(outputDir, MetricsFile);
        File.WriteAllLines(path + ".tmp", history.Select(h => Row(h).ToJsonString()));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private static JsonObject Row(TrainingLog entry)
    {
        var row = new JsonObject { ["step"] = entry.Step };
        foreach (var (k, v) in entry.Values)
        {
            row[k] = v;
        }
        return row;
    }

    private static JsonObject ToJson(TrainerStateSnapshot s)
    {
        var json = new JsonObject
        {
            ["global_step"] = s.Step,
            ["num_tokens"] = s.TokensSeen,
            ["dropout_rng"] = Words(s.DropoutRng),
            ["data"] = new JsonObject
            {
                ["epoch"] = s.Sampler.Epoch,
                ["cursor"] = s.Sampler.Cursor,
                ["rng"] = Words(s.Sampler.Rng),
                ["order"] = new JsonArray(s.Sampler.Order.Select(i => (JsonNode)i).ToArray()),
            },
            ["log_history"] = new JsonArray(s.History.Select(h => (JsonNode)Row(h)).ToArray()),
        };
        if (s.RolloutRng is { } rollout)
        {
            json["rollout_rng"] = Words(rollout);
        }
        return json;
    }

    private static TrainerStateSnapshot FromJson(JsonObject o)
    {
        var data = o["data"]!.AsObject();
        var history = o["log_history"]!.AsArray().Select(n =>
        {
            var row = n!.AsObject();
            var values = row.Where(kv => kv.Key != "step").ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<double>());
            return new TrainingLog(row["step"]!.GetValue<long>(), values);
        }).ToList();
        return new TrainerStateSnapshot(
            o["global_step"]!.GetValue<long>(),
            o["num_tokens"]!.GetValue<long>(),
            ParseWords(o["dropout_rng"]!),
            new SamplerState(
                data["epoch"]!.GetValue<int>(), data["cursor"]!.GetValue<int>(), ParseWords(data["rng"]!),
                data["order"]!.AsArray().Select(n => n!.GetValue<int>()).ToArray()),
            history)
        {
            RolloutRng = o["rollout_rng"] is { } rollout ? ParseWords(rollout) : null,
        };
    }

    // 64-bit words as decimal strings: JSON numbers lose precision beyond 2^53 in many readers.
    private static JsonArray Words(ulong[] words) =>
        new(words.Select(w => (JsonNode)w.ToString(CultureInfo.InvariantCulture)).ToArray());

    private static ulong[] ParseWords(JsonNode node) =>
        node.AsArray().Select(n => ulong.Parse(n!.GetValue<string>(), CultureInfo.InvariantCulture)).ToArray();
}
