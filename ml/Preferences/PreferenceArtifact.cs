using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipeline.ML.Preferences;

/// <summary>
/// Writes preference pairs (or candidates awaiting labels) as a versioned artifact: <c>OUT/vN/preferences.jsonl</c> (or
/// candidates.jsonl) + <c>summary.json</c>, where N is one more than the highest version in OUT. The version is written
/// in full under a temporary name and renamed into place, so a reader never sees half of one, and an earlier version
/// is never touched: if another writer takes vN first, this one becomes vN+1.
/// </summary>
public static partial class PreferenceArtifact
{
    public const string SummaryFile = "summary.json";

    /// <param name="inputs">where the data came from, for the summary: e.g. {"prompts_file", "prompts_sha256"}.</param>
    public static ArtifactVersion WritePairs(string outDir, PreferenceCollection collection, JsonObject? inputs = null)
    {
        var bytes = PreferencesFile.ToBytes(collection);
        var sha = Sha256(bytes);
        return Write(outDir, PreferencesFile.FileName, bytes, sha, version => new JsonObject
        {
            ["artifact"] = "preferences",
            ["format_version"] = 1,
            ["version"] = version,
            ["created_at"] = PreferenceJson.Timestamp(collection.LabelledAt),
            ["file"] = PreferencesFile.FileName,
            ["sha256"] = sha,
            ["pairs"] = collection.Pairs.Count,
            ["counts"] = collection.Counts.ToJson(),
            ["model_checkpoint_hash"] = collection.Candidates.ModelCheckpointHash,
            ["sampling"] = collection.Candidates.Sampling.DeepClone(),
            ["quality"] = collection.Quality.ToJson(),
            ["labeler"] = PreferencesFile.Labeler(collection),
            ["inputs"] = inputs?.DeepClone() ?? new JsonObject(),
            ["duplicate_prompt_ids"] = new JsonArray([.. collection.Candidates.DuplicatePromptIds.Select(id => (JsonNode)id)]),
        });
    }

    /// <summary>Phase one of human labelling: the sampled completions, for people to label.</summary>
    public static ArtifactVersion WriteCandidates(string outDir, CandidateSet set, DateTimeOffset createdAt, JsonObject? inputs = null)
    {
        var bytes = CandidatesFile.ToBytes(set);
        var sha = Sha256(bytes);
        return Write(outDir, CandidatesFile.FileName, bytes, sha, version => new JsonObject
        {
            ["artifact"] = "preference_candidates",
            ["format_version"] = 1,
            ["version"] = version,
            ["created_at"] = PreferenceJson.Timestamp(createdAt),
            ["file"] = CandidatesFile.FileName,
            ["sha256"] = sha,
            ["prompts_read"] = set.PromptsRead,
            ["duplicate_prompt"] = set.DuplicatePromptIds.Count,
            ["prompts_sampled"] = set.Prompts.Count,
            ["completions_sampled"] = set.Prompts.Sum(p => p.Completions.Count),
            ["model_checkpoint_hash"] = set.ModelCheckpointHash,
            ["sampling"] = set.Sampling.DeepClone(),
            ["inputs"] = inputs?.DeepClone() ?? new JsonObject(),
            ["duplicate_prompt_ids"] = new JsonArray([.. set.DuplicatePromptIds.Select(id => (JsonNode)id)]),
        });
    }

    /// <summary>The versions present in <paramref name="outDir"/>, ascending.</summary>
    public static IReadOnlyList<int> Versions(string outDir) =>
        Directory.Exists(outDir)
            ? [.. Directory.GetDirectories(outDir).Select(d => VersionName().Match(Path.GetFileName(d)))
                .Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Order()]
            : [];

    public static string Sha256(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static ArtifactVersion Write(string outDir, string fileName, byte[] bytes, string sha, Func<int, JsonObject> summary)
    {
        Directory.CreateDirectory(outDir);
        for (var attempt = 0; ; attempt++)
        {
            var version = (Versions(outDir).LastOrDefault()) + 1;
            var temp = Path.Combine(outDir, $".v{version}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(temp);
            try
            {
                File.WriteAllBytes(Path.Combine(temp, fileName), bytes);
                File.WriteAllText(Path.Combine(temp, SummaryFile), summary(version).ToJsonString(PreferenceJson.Indented) + "\n");
                var final = Path.Combine(outDir, $"v{version}");
                Directory.Move(temp, final);
                return new ArtifactVersion(version, final, sha, Path.Combine(final, SummaryFile));
            }
            catch (IOException) when (attempt < 16 && Directory.Exists(Path.Combine(outDir, $"v{version}")))
            {
                // Another writer published this version between our look and our rename: take the next one.
                Directory.Delete(temp, recursive: true);
            }
        }
    }

    [GeneratedRegex("^v([1-9][0-9]{0,8})$")]
    private static partial Regex VersionName();
}
