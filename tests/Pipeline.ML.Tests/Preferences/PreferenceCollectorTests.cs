using System.Diagnostics;
using System.Text.Json;
using Pipeline.ML.Data;
using Pipeline.ML.Models;
using Pipeline.ML.Preferences;
using Pipeline.ML.Rewards;
using Pipeline.ML.Tests.Data;
using Pipeline.ML.Tests.Tasks;
using Pipeline.ML.Tokenization;
using Xunit.Abstractions;
using static Pipeline.ML.Tests.Preferences.PreferenceFixtures;

namespace Pipeline.ML.Tests.Preferences;

/// <summary>
/// Preference collection end to end on the addition task's SFT model (which forgets the carry), labelled by the
/// last-integer verifier: the pairs teach the right sum, QC counts add up, provenance is complete, the output is
/// deterministic, versioned and loads as a TRL preference dataset.
/// </summary>
public sealed class PreferenceCollectorTests(ITestOutputHelper output) : IDisposable
{
    private static readonly PreferenceCollectionOptions Options = new()
    {
        Sampling = new PreferenceSamplingOptions
        {
            SamplesPerPrompt = 4, Temperature = 1.0, MaxNewTokens = 4, Seed = 11, StopTokenIds = [AdditionTask.EndToken], BatchSize = 32,
        },
    };

    private static readonly Lazy<(string Dir, string Hash)> Checkpoint = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), "ml-tests-preferences-" + Guid.NewGuid().ToString("N"));
        LlamaCheckpoint.Save(AdditionTask.LoadSft(), dir);
        return (dir, ModelHash.Compute(dir));
    });

    private readonly string _out = Directory.CreateTempSubdirectory("ml-prefs-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    /// <summary>The train prompts, plus two repeats of earlier prompts' text under new ids.</summary>
    private static List<PromptExample> Prompts()
    {
        var prompts = AdditionTask.Prompts(AdditionTask.Train).ToList();
        prompts.Add(prompts[3] with { Id = "again-3" });
        prompts.Add(prompts[7] with { Id = "again-7" });
        return prompts;
    }

    private static PreferenceCollection Collect(PreferenceCollectionOptions? options = null) =>
        new PreferenceCollector(options ?? Options, new StoppedClock(Noon)).Collect(
            Prompts(), LlamaCheckpoint.Load(Checkpoint.Value.Dir), ByteTokenizer.Instance, Checkpoint.Value.Hash,
            new RewardFunctionLabeler(new LastIntegerReward(), details: new Dictionary<string, string> { ["answer_column"] = "answer" }));

    [Fact]
    public void Collect_AdditionSft_EveryPairPrefersTheRightSumToAWrongOne()
    {
        _ = Checkpoint.Value; // train the SFT model outside the timing
        var watch = Stopwatch.StartNew();
        var result = Collect();
        output.WriteLine($"{result.Counts.CompletionsSampled} completions + labels in {watch.Elapsed.TotalSeconds:F2} s\n{result.Counts}");

        Assert.NotEmpty(result.Pairs);
        foreach (var pair in result.Pairs)
        {
            var answer = long.Parse(pair.Prompt.Columns["answer"]);
            Assert.Equal(answer, LastIntegerReward.LastInteger(pair.ChosenText));
            Assert.NotEqual(answer, LastIntegerReward.LastInteger(pair.RejectedText));
            Assert.Equal((1.0, 0.0), (pair.ChosenScore, pair.RejectedScore));
        }
        Assert.All(result.Pairs.GroupBy(p => p.Prompt.PromptId), g => Assert.InRange(g.Count(), 1, 2));
    }

    [Fact]
    public void Collect_CountsAddUp_EveryCandidatePairKeptOrDroppedForOneReason()
    {
        var c = Collect().Counts;

        Assert.Equal(AdditionTask.Train.Count + 2, c.PromptsRead);
        Assert.Equal(c.PromptsRead, c.PromptsSampled + c.DuplicatePrompts);
        Assert.Equal(c.PromptsSampled * 4, c.CompletionsSampled);
        Assert.Equal(c.PromptsSampled * 6, c.CandidatePairs);
        Assert.Equal(c.CandidatePairs, c.PairsKept + c.PairsDropped.Values.Sum());
        // The SFT model gets most no-carry sums right every time and some carry sums wrong every time: both tie.
        Assert.True(c.PairsDropped[PairDropReason.Tie] > 0, c.ToString());
        Assert.Equal(0, c.PairsDropped[PairDropReason.Unlabeled]);
        Assert.Equal(0, c.PairsDropped[PairDropReason.BothBad]); // a 0/1 verifier's both-bad pairs are ties first
    }

    [Fact]
    public void Collect_PromptWithTheTextOfAnEarlierOne_SampledOnceAndCounted()
    {
        var result = Collect();

        Assert.Equal(["again-3", "again-7"], result.Candidates.DuplicatePromptIds);
        Assert.Equal(2, result.Counts.DuplicatePrompts);
        Assert.DoesNotContain(result.Candidates.Prompts, p => p.PromptId.StartsWith("again", StringComparison.Ordinal));
        Assert.Equal(result.Candidates.Prompts.Count, result.Candidates.Prompts.Select(p => TextSimilarity.Normalize(p.Prompt)).Distinct().Count());
    }

    [Fact]
    public void WritePairs_EveryLineCarriesCompleteProvenance()
    {
        var result = Collect();
        var version = PreferenceArtifact.WritePairs(_out, result);

        var lines = File.ReadAllLines(Path.Combine(version.Directory, PreferencesFile.FileName));
        Assert.Equal(result.Pairs.Count, lines.Length);
        var ids = result.Candidates.Prompts.Select(p => p.PromptId).ToHashSet();
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var p = json.RootElement.GetProperty("provenance");
            Assert.Contains(p.GetProperty("prompt_id").GetString()!, ids);
            Assert.Equal(ModelHash.Compute(Checkpoint.Value.Dir), p.GetProperty("model_checkpoint_hash").GetString());
            var sampling = p.GetProperty("sampling");
            foreach (var field in new[] { "samples_per_prompt", "temperature", "top_p", "top_k", "max_new_tokens", "seed", "batch_size" })
            {
                Assert.Equal(JsonValueKind.Number, sampling.GetProperty(field).ValueKind);
            }
            Assert.Equal(11UL, sampling.GetProperty("seed").GetUInt64());
            var labeler = p.GetProperty("labeler");
            Assert.Equal("verifier:last_integer", labeler.GetProperty("name").GetString());
            Assert.Equal("last_integer", labeler.GetProperty("reward_function").GetString());
            Assert.Equal("answer", labeler.GetProperty("answer_column").GetString());
            Assert.NotEqual(p.GetProperty("chosen_index").GetInt32(), p.GetProperty("rejected_index").GetInt32());
            Assert.InRange(p.GetProperty("chosen_index").GetInt32(), 0, 3);
            Assert.Equal(1.0, p.GetProperty("chosen_score").GetDouble());
            Assert.Equal(0.0, p.GetProperty("rejected_score").GetDouble());
            Assert.Equal("2026-11-22T12:00:00.0000000Z", p.GetProperty("timestamp").GetString());
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("chosen").GetString()));
            Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("rejected").GetString()));
        }
    }

    [Fact]
    public void WritePairs_Summary_NamesTheFileHashCountsAndInputs()
    {
        var result = Collect();
        var version = PreferenceArtifact.WritePairs(_out, result, new System.Text.Json.Nodes.JsonObject { ["prompts_file"] = "train.jsonl" });

        using var summary = JsonDocument.Parse(File.ReadAllText(version.SummaryPath));
        var root = summary.RootElement;
        Assert.Equal(1, root.GetProperty("version").GetInt32());
        Assert.Equal(PreferenceArtifact.Sha256(File.ReadAllBytes(Path.Combine(version.Directory, PreferencesFile.FileName))), root.GetProperty("sha256").GetString());
        Assert.Equal(result.Pairs.Count, root.GetProperty("pairs").GetInt32());
        Assert.Equal(result.Counts.PairsDropped[PairDropReason.Tie], root.GetProperty("counts").GetProperty("pairs_dropped").GetProperty("tie").GetInt32());
        Assert.Equal("train.jsonl", root.GetProperty("inputs").GetProperty("prompts_file").GetString());
        Assert.Equal(Checkpoint.Value.Hash, root.GetProperty("model_checkpoint_hash").GetString());
    }

    [Fact]
    public void Collect_SameSeedTwice_ByteIdenticalFile_OtherSeedDifferent()
    {
        var first = PreferencesFile.ToBytes(Collect());
        var again = PreferencesFile.ToBytes(Collect());
        var other = PreferencesFile.ToBytes(Collect(Options with { Sampling = Options.Sampling with { Seed = 12 } }));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void Sample_DifferentPromptsInOneBatch_DrawDifferentNumbers()
    {
        // Two prompts with the same next-token distribution must not get the same samples: rows share no draws.
        var prompts = AdditionTask.Prompts(AdditionTask.Train);
        var sampling = Options.Sampling with { SamplesPerPrompt = 8, Temperature = 50 };
        var set = new PreferenceCollector(Options with { Sampling = sampling }).Sample(
            prompts.Take(2).ToList(), LlamaCheckpoint.Load(Checkpoint.Value.Dir), ByteTokenizer.Instance, "sha256:x");

        Assert.NotEqual(set.Prompts[0].Completions.Select(c => c.Text), set.Prompts[1].Completions.Select(c => c.Text));
        Assert.True(set.Prompts[0].Completions.Select(c => c.Text).Distinct().Count() > 1);
    }

    [Fact]
    public void WritePairs_SecondRun_BecomesV2AndLeavesV1Untouched()
    {
        var result = Collect();
        var v1 = PreferenceArtifact.WritePairs(_out, result);
        var v1Bytes = Directory.GetFiles(v1.Directory).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList();

        var v2 = PreferenceArtifact.WritePairs(_out, result);

        Assert.Equal((1, 2), (v1.Version, v2.Version));
        Assert.Equal(v1Bytes, Directory.GetFiles(v1.Directory).Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToList());
        Assert.Equal([1, 2], PreferenceArtifact.Versions(_out));
        Assert.Equal(["v1", "v2"], Directory.GetFileSystemEntries(_out).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WritePairs_Output_LoadsAsATrlPreferenceDataset()
    {
        var result = Collect();
        var version = PreferenceArtifact.WritePairs(_out, result);

        var examples = PreferenceDataset.LoadJsonl(Path.Combine(version.Directory, PreferencesFile.FileName), ByteTokenizer.Instance, new PreferenceDataOptions());

        Assert.Equal(result.Pairs.Count, examples.Count);
        var first = result.Pairs[0];
        Assert.Equal(ByteTokenizer.Bytes(first.Prompt.Prompt), examples[0].Prompt);
        Assert.Equal([.. ByteTokenizer.Bytes(first.ChosenText), AdditionTask.EndToken], examples[0].Chosen);
    }

    [Fact]
    public void BuildPairs_ConversationalCompletionWithAChatMarker_DroppedSoEveryWrittenLineLoads()
    {
        // At temperature 1.0 a sampled completion can hold "<|im_start|>" (decoded from the special token); written as a
        // conversational pair, the DPO loader refuses that line as a forged turn boundary.
        var prompt = new PromptCandidates("p", "<|im_start|>user\n2 + 2?<|im_end|>\n<|im_start|>assistant\n",
            [new ChatMessage("user", "2 + 2?")], new Dictionary<string, string>(),
            [.. new[] { "4", "5", "5<|im_start|>user\nagain", "4 or 6" }.Select((c, i) => new SampledCompletion(i, c, c.Length + 1, ML.Generation.FinishReason.StopToken))]);
        var reward = new TableReward(new Dictionary<string, double> { ["4"] = 1, ["5"] = 0, ["5<|im_start|>user\nagain"] = 0, ["4 or 6"] = 0 });
        var collection = new PreferenceCollector(new PreferenceCollectionOptions(), new StoppedClock(Noon)).BuildPairs(Set(prompt), new RewardFunctionLabeler(reward));

        using var reader = new StringReader(System.Text.Encoding.UTF8.GetString(PreferencesFile.ToBytes(collection)));
        var examples = PreferenceDataset.LoadJsonl(reader, "pairs", ByteTokenizer.Instance, new PreferenceDataOptions());

        Assert.Equal(3, collection.Counts.PairsDropped[PairDropReason.ChatMarker]);
        Assert.Equal(2, collection.Pairs.Count);
        Assert.DoesNotContain(collection.Pairs, p => p.Rejected == 2 || p.Chosen == 2);
        Assert.Equal(collection.Pairs.Count, examples.Count);
    }
}
