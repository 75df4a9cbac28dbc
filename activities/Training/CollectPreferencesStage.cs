using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Pipeline.Activities.Support;
using Pipeline.Eval.Domain;
using Pipeline.Infra.Artifacts;
using Pipeline.ML.Data;
using Pipeline.ML.IO;
using Pipeline.ML.Preferences;
using Pipeline.ML.Tokenization;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Activities.Training;

/// <summary>
/// The DPO branch's pair set: sample <see cref="PreferenceConfig.NumGenerations"/> completions of up to
/// <see cref="PreferenceConfig.CollectionPrompts"/> training prompts from the merged SFT model, label them with the demo
/// verifier (what <c>pipeline ml collect-preferences --labeler verifier:demo</c> does, through the same collector and
/// quality control), add the anchor pairs and the extra copies of refuse/abstain pairs (<see cref="AnchorPairs"/>) and the
/// people's pairs, check that every line loads as DPO will load it, and store the folder (preferences.jsonl + qc.json).
/// </summary>
internal sealed class CollectPreferencesStage(IArtifactStore store, TrackingRuns tracking, RecipeWorkspace workspace, ILogger logger)
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    public async Task<PreferenceSetResult> RunAsync(CollectPreferencesRequest r, CancellationToken ct)
    {
        var c = r.Config;
        var data = await DatasetVersionFiles.OpenAsync(store, r.Dataset, workspace, ct);
        var (promptsFile, sftFile) = (data.File(DatasetFileRole.Prompts), data.File(DatasetFileRole.Sft));
        var loaded = await StageModels.LoadAsync(store, workspace, r.Policy, ct);
        var dir = workspace.FreshStageDir(r.WorkflowId, "preferences");
        var (m, _) = StageModels.MergedSft(loaded, Path.Combine(dir, "merged-sft"));
        var tok = loaded.Tokenizer;
        var all = PromptDataset.LoadJsonl(promptsFile, tok);
        if (all.Count == 0) throw Failures.InvalidInput($"dataset {r.Dataset}: the prompts file {Path.GetFileName(promptsFile)} has no prompts to sample pairs from");
        var prompts = Subset(all, c.CollectionPrompts, c.Seed);

        var options = new PreferenceCollectionOptions
        {
            Sampling = new PreferenceSamplingOptions
            {
                SamplesPerPrompt = c.NumGenerations, Temperature = c.Temperature, TopK = c.TopK, MaxNewTokens = c.MaxCompletionLength, Seed = c.Seed,
                StopTokenIds = ChatTemplate.StopTokenIds(tok),
            },
        };
        var lastLog = DateTime.UtcNow;
        var collector = new PreferenceCollector(options)
        {
            OnSampled = (done, total) =>
            {
                ct.ThrowIfCancellationRequested();
                CurrentActivity.Heartbeat($"sampled {done} of {total} prompts");
                if (DateTime.UtcNow - lastLog < TimeSpan.FromSeconds(10) && done != total) return;
                lastLog = DateTime.UtcNow;
                logger.LogStage("preferences", $"sampled {done}/{total} prompts × {c.NumGenerations}");
            },
        };
        logger.LogStage("preferences", $"{prompts.Count} of {all.Count} prompts × {c.NumGenerations} completions (T {c.Temperature}, top-k {c.TopK}, " +
            $"{c.MaxCompletionLength} tokens), verifier:demo, + anchors and {r.HumanPreferences.Count} human pair(s)");
        var collection = collector.BuildPairs(collector.Sample(prompts, m, tok, r.Policy.PackageDigest), DemoVerifier.Labeler());
        var extra = AnchorPairs.ExtraCopies(collection.Pairs);
        var anchors = AnchorPairs.FromSft(SftConversations.Load(sftFile));
        var (human, humanDropped) = HumanPairs.Lines(r.HumanPreferences);

        var counts = Counts(collection.Counts, extra.Count, anchors.Count, human.Count, humanDropped);
        if (counts["pairs"] == 0)
        {
            throw Failures.InvalidInput($"no preference pairs to train DPO on: {Describe(counts)}. The SFT model ties on every prompt and the dataset's " +
                $"SFT file has no \"{DemoPhrases.Refusal}\" or \"{DemoPhrases.Abstain}\" rows to anchor; raise Preference.CollectionPrompts or " +
                "Preference.NumGenerations, or send pairs with AddHumanPreferences");
        }
        var setDir = Path.Combine(dir, "set");
        Directory.CreateDirectory(setDir);
        var file = Path.Combine(setDir, PreferencesFile.FileName);
        await File.WriteAllBytesAsync(file, Jsonl(collection, extra, [.. anchors, .. human]), ct);
        CheckLoads(file, tok, counts["pairs"]);
        var parameters = TrainingRun.Params(("labeler", collection.LabelerName), ("prompts_considered", prompts.Count), ("num_generations", c.NumGenerations),
            ("temperature", c.Temperature), ("top_k", c.TopK), ("max_new_tokens", c.MaxCompletionLength), ("special_copies", AnchorPairs.SpecialCopies),
            ("dataset", r.Dataset.ToString()), ("policy", r.Policy.PackageDigest));
        var qc = new JsonObject
        {
            ["counts"] = new JsonObject([.. counts.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
            ["collection"] = collection.Counts.ToJson(),
            ["quality"] = collection.Quality.ToJson(),
            ["sampling"] = collection.Candidates.Sampling.DeepClone(),
            ["labeler"] = PreferencesFile.Labeler(collection),
            ["parameters"] = new JsonObject([.. parameters.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))]),
        };
        await File.WriteAllTextAsync(Path.Combine(setDir, "qc.json"), qc.ToJsonString(Indented), ct);
        var stored = await store.PutDirectoryAsync(setDir, new ArtifactMetadata(ArtifactKinds.Preferences, "preferences", DateTimeOffset.UtcNow, r.WorkflowId,
            [r.Policy.PackageDigest, r.Dataset.FilesDigest], parameters), ct);
        await tracking.LogAsync(r.WorkflowId, "preferences", parameters, [], counts, ct);
        logger.LogStage("preferences", $"{Describe(counts)} → {stored.Digest}");
        return new PreferenceSetResult(stored.Digest, counts);
    }

    /// <summary>The set's counts by name: what was sampled, what QC dropped and why, and what the set holds.</summary>
    public static Dictionary<string, double> Counts(PreferenceCounts collected, int extraCopies, int anchors, int human, int humanDropped)
    {
        var counts = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["prompts"] = collected.PromptsSampled,
            ["duplicate_prompts"] = collected.DuplicatePrompts,
            ["samples"] = collected.CompletionsSampled,
            ["candidate_pairs"] = collected.CandidatePairs,
            ["collected"] = collected.PairsKept,
            ["extra_copies"] = extraCopies,
            ["anchors"] = anchors,
            ["human"] = human,
            ["human_dropped"] = humanDropped,
            ["pairs"] = collected.PairsKept + extraCopies + anchors + human,
        };
        foreach (var (reason, n) in collected.PairsDropped) counts[DropName(reason)] = n;
        return counts;
    }

    private static string DropName(PairDropReason reason) => reason switch
    {
        PairDropReason.Tie => "ties",
        PairDropReason.TruncatedCompletion => "truncated",
        PairDropReason.NearIdentical => "duplicates",
        _ => PreferenceCounts.Key(reason),
    };

    private static string Describe(IReadOnlyDictionary<string, double> counts) =>
        $"{counts["pairs"]} pairs = {counts["collected"]} collected + {counts["extra_copies"]} extra copies + {counts["anchors"]} anchors + {counts["human"]} human; " +
        $"{counts["prompts"]} prompts, {counts["samples"]} samples, {counts["candidate_pairs"]} candidate pairs: {counts["ties"]} ties, " +
        $"{counts["truncated"]} truncated, {counts["duplicates"]} duplicates, {counts["chat_marker"]} with a chat marker; {counts["human_dropped"]} human pair(s) dropped";

    private static byte[] Jsonl(PreferenceCollection collection, IReadOnlyList<PreferencePair> extra, IReadOnlyList<PairLine> added)
    {
        var text = new StringBuilder();
        text.Append(Encoding.UTF8.GetString(PreferencesFile.ToBytes(collection)));
        text.Append(Encoding.UTF8.GetString(PreferencesFile.ToBytes(collection with { Pairs = extra })));
        foreach (var line in added) text.Append(line.ToJson().ToJsonString(Compact)).Append('\n');
        return new UTF8Encoding(false).GetBytes(text.ToString());
    }

    /// <summary>Every line must load as the DPO stage will load it; one that does not is a bug here, named by its line.</summary>
    private static void CheckLoads(string file, ByteLevelBpeTokenizer tok, double expected)
    {
        try
        {
            var loaded = PreferenceDataset.LoadJsonl(file, tok, new PreferenceDataOptions());
            if (loaded.Count != (int)expected) throw new InvalidOperationException($"{file}: wrote {expected} pairs but {loaded.Count} load");
        }
        catch (DataFormatException e)
        {
            throw Failures.InvalidInput($"the preference set does not load as DPO reads it: {e.Message}", e);
        }
    }

    /// <summary>Up to <paramref name="count"/> prompts (0: all), drawn with the seed and kept in file order.</summary>
    private static IReadOnlyList<PromptExample> Subset(IReadOnlyList<PromptExample> prompts, int count, ulong seed)
    {
        if (count == 0 || count >= prompts.Count) return prompts;
        var rng = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        var picked = Enumerable.Range(0, prompts.Count).OrderBy(_ => rng.Next()).Take(count).Order();
        return [.. picked.Select(i => prompts[i])];
    }
}
