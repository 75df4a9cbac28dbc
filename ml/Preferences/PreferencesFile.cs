using System.Text;
using System.Text.Json.Nodes;

namespace Pipeline.ML.Preferences;

/// <summary>
/// Preference pairs as JSONL in TRL's format, each with its provenance: <c>{"prompt", "chosen", "rejected",
/// "provenance": {"prompt_id", "model_checkpoint_hash", "sampling", "labeler", "chosen_index", "rejected_index",
/// "chosen_score", "rejected_score", "timestamp"}}</c>. Strings for a text prompt; for a conversational one the
/// prompt's messages and each completion as one assistant message. PreferenceDataset ignores "provenance".
/// </summary>
public static class PreferencesFile
{
    public const string FileName = "preferences.jsonl";

    public static byte[] ToBytes(PreferenceCollection collection)
    {
        var sb = new StringBuilder();
        foreach (var pair in collection.Pairs)
        {
            sb.Append(Line(pair, collection).ToJsonString(PreferenceJson.Compact)).Append('\n');
        }
        return new UTF8Encoding(false).GetBytes(sb.ToString());
    }

    /// <summary>The labeler as provenance records it: its name, then its own fields.</summary>
    public static JsonObject Labeler(PreferenceCollection collection)
    {
        var labeler = new JsonObject { ["name"] = collection.LabelerName };
        foreach (var (key, value) in PreferenceJson.Strings(collection.LabelerProvenance).ToList())
        {
            labeler[key] = value?.DeepClone();
        }
        return labeler;
    }

    private static JsonObject Line(PreferencePair pair, PreferenceCollection collection) => new()
    {
        ["prompt"] = PreferenceJson.Prompt(pair.Prompt),
        ["chosen"] = PreferenceJson.Completion(pair.Prompt, pair.ChosenText),
        ["rejected"] = PreferenceJson.Completion(pair.Prompt, pair.RejectedText),
        ["provenance"] = new JsonObject
        {
            ["prompt_id"] = pair.Prompt.PromptId,
            ["model_checkpoint_hash"] = collection.Candidates.ModelCheckpointHash,
            ["sampling"] = collection.Candidates.Sampling.DeepClone(),
            ["labeler"] = Labeler(collection),
            ["chosen_index"] = pair.Chosen,
            ["rejected_index"] = pair.Rejected,
            ["chosen_score"] = pair.ChosenScore,
            ["rejected_score"] = pair.RejectedScore,
            ["timestamp"] = PreferenceJson.Timestamp(pair.LabelledAt),
        },
    };
}
