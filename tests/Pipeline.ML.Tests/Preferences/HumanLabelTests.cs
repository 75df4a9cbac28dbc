using System.Text.Json;
using Pipeline.ML.Data;
using Pipeline.ML.IO;
using Pipeline.ML.Preferences;
using Pipeline.ML.Tests.Data;
using Pipeline.ML.Tokenization;
using static Pipeline.ML.Tests.Preferences.PreferenceFixtures;

namespace Pipeline.ML.Tests.Preferences;

/// <summary>Two-phase collection with people in the middle: candidates out, labels in, pairs with the labels file's
/// hash as provenance; every bad label or candidates line reported as FILE:LINE.</summary>
public sealed class HumanLabelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ml-human-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static CandidateSet TwoPrompts() => Set(Prompt("p1", "22", "12", "21"), Prompt("p2", "5", "six", "7"));

    private CandidateSet WrittenAndReadBack(CandidateSet set)
    {
        var version = PreferenceArtifact.WriteCandidates(Path.Combine(_dir, "candidates"), set, Noon);
        return CandidatesFile.Load(Path.Combine(version.Directory, CandidatesFile.FileName));
    }

    private static PreferenceCollection Pairs(CandidateSet set, IPreferenceLabeler labeler) =>
        new PreferenceCollector(new PreferenceCollectionOptions(), new StoppedClock(Noon)).BuildPairs(set, labeler);

    [Fact]
    public void CandidatesFile_RoundTrip_KeepsPromptsCompletionsAndProvenance()
    {
        var set = TwoPrompts();
        var back = WrittenAndReadBack(set);

        Assert.Equal(set.ModelCheckpointHash, back.ModelCheckpointHash);
        Assert.Equal(set.Sampling.ToJsonString(), back.Sampling.ToJsonString());
        Assert.Equal(set.Prompts.Select(p => p.PromptId), back.Prompts.Select(p => p.PromptId));
        Assert.Equal(set.Prompts.Select(p => p.Prompt), back.Prompts.Select(p => p.Prompt));
        Assert.Equal(set.Prompts.SelectMany(p => p.Completions), back.Prompts.SelectMany(p => p.Completions));
    }

    [Fact]
    public void HumanLabels_ScoresAndJudgments_BuildThePairsPeopleChose()
    {
        var candidates = WrittenAndReadBack(TwoPrompts());
        var labels = Write("labels.jsonl",
            """{"prompt_id": "p1", "completion": 0, "score": 1, "annotator": "ann"}""",
            """{"prompt_id": "p1", "completion": 1, "score": 0}""",
            "",
            """{"prompt_id": "p2", "chosen": 2, "rejected": 1}""");

        var result = Pairs(candidates, HumanLabelFile.Labeler(labels));

        Assert.Equal([("p1", 0, 1), ("p2", 2, 1)], result.Pairs.Select(p => (p.Prompt.PromptId, p.Chosen, p.Rejected)));
        Assert.Equal((1.0, 0.0), (result.Pairs[0].ChosenScore!.Value, result.Pairs[0].RejectedScore!.Value));
        // p1: (0,2) (1,2) have a completion nobody scored; p2: two pairs nobody judged.
        Assert.Equal(4, result.Counts.PairsDropped[PairDropReason.Unlabeled]);
        Assert.Equal(result.Counts.CandidatePairs, result.Counts.PairsKept + result.Counts.PairsDropped.Values.Sum());

        var version = PreferenceArtifact.WritePairs(Path.Combine(_dir, "pairs"), result);
        var line = File.ReadLines(Path.Combine(version.Directory, PreferencesFile.FileName)).First();
        using var json = JsonDocument.Parse(line);
        var labeler = json.RootElement.GetProperty("provenance").GetProperty("labeler");
        Assert.Equal("human", labeler.GetProperty("name").GetString());
        Assert.Equal("labels.jsonl", labeler.GetProperty("labels_file").GetString());
        Assert.Equal(PreferenceArtifact.Sha256(File.ReadAllBytes(labels)), labeler.GetProperty("labels_sha256").GetString());
        Assert.Equal(candidates.ModelCheckpointHash, json.RootElement.GetProperty("provenance").GetProperty("model_checkpoint_hash").GetString());
    }

    [Fact]
    public void HumanLabels_FromASignalInsteadOfAFile_SameRecordsSamePairs()
    {
        var labeler = new HumanLabeler(
            [HumanLabel.ForPair("p1", 2, 1, "signal:42"), HumanLabel.ForScore("p2", 0, 1, "signal:43"), HumanLabel.ForScore("p2", 2, 0, "signal:43")],
            new Dictionary<string, string> { ["kind"] = "human", ["signal"] = "42-43" });

        var result = Pairs(TwoPrompts(), labeler);

        Assert.Equal([("p1", 2, 1), ("p2", 0, 2)], result.Pairs.Select(p => (p.Prompt.PromptId, p.Chosen, p.Rejected)));
    }

    [Theory]
    [InlineData("""{"prompt_id": "p1", "completion": 0}""", "labels.jsonl:2: field 'score': is missing")]
    [InlineData("""{"prompt_id": "p1", "completion": -1, "score": 1}""", "labels.jsonl:2: field 'completion': expected a completion index")]
    [InlineData("""{"prompt_id": "p1", "completion": 0, "score": "good"}""", "labels.jsonl:2: field 'score': expected a finite number, found a string")]
    [InlineData("""{"prompt_id": "p1", "chosen": 1, "rejected": 1}""", "labels.jsonl:2: field 'rejected': is 1, the same completion")]
    [InlineData("""{"prompt_id": "p1", "chosen": 1}""", "labels.jsonl:2: field 'rejected': is missing")]
    [InlineData("""{"prompt_id": "p1", "score": 1}""", "labels.jsonl:2: expected either")]
    [InlineData("""{"completion": 0, "score": 1}""", "labels.jsonl:2: field 'prompt_id': is missing")]
    [InlineData("""{"prompt_id": "p1", "completion": 0, "score": 1, "score": 0}""", "labels.jsonl:2: not valid JSON")]
    [InlineData("""[1, 2]""", "labels.jsonl:2: expected a JSON object per line")]
    public void HumanLabelFile_BadLine_NamesFileLineAndField(string bad, string expected)
    {
        var path = Write("labels.jsonl", """{"prompt_id": "p1", "completion": 1, "score": 0}""", bad);

        var e = Assert.Throws<DataFormatException>(() => HumanLabelFile.Load(path));

        Assert.StartsWith(Path.Combine(_dir, expected), e.Message);
    }

    [Theory]
    [InlineData("""{"prompt_id": "p9", "completion": 0, "score": 1}""", "labels.jsonl:2: field 'prompt_id': \"p9\" is not a prompt")]
    [InlineData("""{"prompt_id": "p1", "completion": 3, "score": 1}""", "labels.jsonl:2: field 'completion': is 3, but prompt 'p1' has 3 completions")]
    [InlineData("""{"prompt_id": "p2", "chosen": 0, "rejected": 7}""", "labels.jsonl:2: field 'rejected': is 7")]
    [InlineData("""{"prompt_id": "p1", "completion": 1, "score": 1}""", "labels.jsonl:2: field 'completion': this completion of prompt 'p1' was already labelled at")]
    public void HumanLabeler_LabelNotMatchingTheCandidates_NamesFileLineAndField(string bad, string expected)
    {
        var path = Write("labels.jsonl", """{"prompt_id": "p1", "completion": 1, "score": 0}""", bad);

        var e = Assert.Throws<DataFormatException>(() => Pairs(TwoPrompts(), HumanLabelFile.Labeler(path)));

        Assert.StartsWith(Path.Combine(_dir, expected), e.Message);
    }

    [Fact]
    public void HumanLabeler_SamePairJudgedTwiceInEitherOrder_Rejected()
    {
        var path = Write("labels.jsonl", """{"prompt_id": "p1", "chosen": 0, "rejected": 2}""", """{"prompt_id": "p1", "chosen": 2, "rejected": 0}""");

        var e = Assert.Throws<DataFormatException>(() => Pairs(TwoPrompts(), HumanLabelFile.Labeler(path)));

        Assert.Contains("labels.jsonl:2: field 'rejected': this pair of prompt 'p1' was already labelled at", e.Message);
        Assert.EndsWith("labels.jsonl:1", e.Message);
    }

    [Theory]
    [InlineData("""{"prompt_id": "p1", "prompt": "q", "completions": [{"index": 0, "text": "a", "tokens": 1, "finish_reason": "length"}], "provenance": {"model_checkpoint_hash": "h", "sampling": {}}}""", "field 'completions': has 1")]
    [InlineData("""{"prompt_id": "p1", "prompt": "q", "completions": [{"index": 1, "text": "a", "tokens": 1, "finish_reason": "length"}], "provenance": {}}""", "field 'completions[0].index': expected 0")]
    [InlineData("""{"prompt_id": "p1", "prompt": "q", "completions": [{"index": 0, "text": "a", "tokens": 1, "finish_reason": "eos"}], "provenance": {}}""", "field 'completions[0].finish_reason'")]
    [InlineData("""{"prompt_id": "p1", "prompt": "q", "completions": [{"index": 0, "text": "a", "tokens": 1, "finish_reason": "length"}, {"index": 1, "text": "b", "tokens": 1, "finish_reason": "length"}]}""", "field 'provenance': is missing")]
    public void CandidatesFile_BadLine_NamesFileLineAndField(string bad, string expected)
    {
        var path = Write("candidates.jsonl", bad);

        var e = Assert.Throws<DataFormatException>(() => CandidatesFile.Load(path));

        Assert.StartsWith($"{path}:1: {expected}", e.Message);
    }

    [Fact]
    public void CandidatesFile_LinesFromTwoCheckpoints_Rejected()
    {
        var lines = File.ReadAllLines(Path.Combine(PreferenceArtifact.WriteCandidates(_dir, TwoPrompts(), Noon).Directory, CandidatesFile.FileName));
        var path = Write("mixed.jsonl", lines[0], lines[1].Replace("sha256:feed", "sha256:beef", StringComparison.Ordinal));

        var e = Assert.Throws<DataFormatException>(() => CandidatesFile.Load(path));

        Assert.StartsWith($"{path}:2: field 'provenance': differs from line 1's", e.Message);
    }

    [Fact]
    public void WritePairs_ConversationalPrompt_CompletionsAsAssistantMessagesThatLoadWithTrlFormat()
    {
        ChatMessage[] messages = [new("user", "What is 17+5?")];
        var prompt = Prompt("c1", "17+5=22.", "17+5=12.") with { Prompt = ChatTemplate.Render(messages, addGenerationPrompt: true), Messages = messages };
        var result = Pairs(Set(prompt), new RewardFunctionLabeler(new TableReward(new Dictionary<string, double> { ["17+5=22."] = 1 })));
        var version = PreferenceArtifact.WritePairs(_dir, result);
        var file = Path.Combine(version.Directory, PreferencesFile.FileName);

        using var json = JsonDocument.Parse(File.ReadLines(file).Single());
        Assert.Equal("assistant", json.RootElement.GetProperty("chosen")[0].GetProperty("role").GetString());
        Assert.Equal("17+5=22.", json.RootElement.GetProperty("chosen")[0].GetProperty("content").GetString());
        var example = Assert.Single(PreferenceDataset.LoadJsonl(file, ByteTokenizer.Instance, new PreferenceDataOptions()));
        Assert.Equal(ChatTemplate.Encode(ByteTokenizer.Instance, messages, addGenerationPrompt: true).Ids, example.Prompt);
    }
}
