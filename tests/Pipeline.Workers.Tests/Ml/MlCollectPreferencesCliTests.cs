using System.Text.Json;
using Pipeline.ML.Models;
using Pipeline.ML.Tokenization;

namespace Pipeline.Workers.Tests.Ml;

/// <summary>
/// `pipeline ml collect-preferences` as a user runs it: verifier-labelled pairs in one go, human labels in two phases,
/// and mistakes reported in one line with exit code 2.
/// </summary>
public sealed class MlCollectPreferencesCliTests : MlCliTest
{
    public MlCollectPreferencesCliTests()
        : base("ml-prefs-cli-")
    {
        // A small random model is enough: the CLI's job is wiring, not quality.
        var tok = new BpeTrainer(new BpeTrainerOptions { VocabSize = 300 }).Train(["1+2=3", "10+5=15", "7+8=15"]);
        var model = new LlamaModel(new LlamaConfig
        {
            VocabSize = tok.VocabSize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 4,
            NumKeyValueHeads = 2, HeadDim = 8, MaxPositionEmbeddings = 64, TieWordEmbeddings = true,
        });
        model.InitializeWeights(3);
        LlamaCheckpoint.Save(model, P("model"));
        tok.Save(Path.Combine(P("model"), "tokenizer.json"));
        File.WriteAllLines(P("prompts.jsonl"),
        [
            """{"id": "a", "prompt": "1+2=", "answer": "3"}""",
            """{"id": "b", "prompt": "7+8=", "answer": "15"}""",
            """{"id": "c", "prompt": " 1+2= ", "answer": "3"}""",
        ]);
    }

    private string[] Sampling => ["--model", P("model"), "--prompts", P("prompts.jsonl"), "--samples-per-prompt", "3", "--max-new-tokens", "4", "--seed", "5"];

    [Fact]
    public async Task CollectPreferences_Verifier_WritesAVersionWhoseCountsAddUp()
    {
        var (code, output) = await RunAsync(["ml", "collect-preferences", .. Sampling, "--labeler", "verifier:last_integer", "--out", P("prefs")]);
        Assert.True(code == 0, output);
        var (again, output2) = await RunAsync(["ml", "collect-preferences", .. Sampling, "--labeler", "verifier:last_integer:answer", "--out", P("prefs")]);
        Assert.True(again == 0, output2);

        Assert.Equal(File.ReadAllBytes(P("prefs/v1/preferences.jsonl")), File.ReadAllBytes(P("prefs/v2/preferences.jsonl")));
        using var summary = JsonDocument.Parse(File.ReadAllText(P("prefs/v1/summary.json")));
        var counts = summary.RootElement.GetProperty("counts");
        Assert.Equal(1, counts.GetProperty("duplicate_prompt").GetInt32());
        Assert.Equal(2 * 3, counts.GetProperty("candidate_pairs").GetInt32());
        var dropped = counts.GetProperty("pairs_dropped").EnumerateObject().Sum(p => p.Value.GetInt32());
        Assert.Equal(6, counts.GetProperty("pairs_kept").GetInt32() + dropped);
        Assert.Equal(ModelHash.Compute(P("model")), summary.RootElement.GetProperty("model_checkpoint_hash").GetString());
        Assert.StartsWith("sha256:", summary.RootElement.GetProperty("inputs").GetProperty("prompts_sha256").GetString());
    }

    [Fact]
    public async Task CollectPreferences_HumanLabelsInTwoPhases_PairsAsPeopleChose()
    {
        var (code, output) = await RunAsync(["ml", "collect-preferences", .. Sampling, "--candidates-only", "--out", P("cands")]);
        Assert.True(code == 0, output);
        File.WriteAllLines(P("labels.jsonl"), ["""{"prompt_id": "a", "chosen": 2, "rejected": 0}""", """{"prompt_id": "b", "chosen": 1, "rejected": 2}"""]);

        (code, output) = await RunAsync("ml", "collect-preferences", "--candidates", P("cands/v1/candidates.jsonl"),
            "--labeler", "human:" + P("labels.jsonl"), "--out", P("prefs"));

        Assert.True(code == 0, output);
        var lines = File.ReadAllLines(P("prefs/v1/preferences.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("provenance")).ToList();
        // A random model may emit an empty completion, whose pairs QC drops; those kept are the ones people chose.
        Assert.All(lines, l => Assert.Contains((l.GetProperty("prompt_id").GetString()!, l.GetProperty("chosen_index").GetInt32()), new[] { ("a", 2), ("b", 1) }));
        Assert.All(lines, l => Assert.Equal("human", l.GetProperty("labeler").GetProperty("name").GetString()));
    }

    [Theory]
    [InlineData("reward-modle:x", "unknown kind 'reward-modle'")]
    [InlineData("verifier:exact_match", "expected verifier:last_integer[:COLUMN]")]
    public async Task CollectPreferences_BadLabeler_ExitCode2(string spec, string expected)
    {
        var (code, output) = await RunAsync(["ml", "collect-preferences", .. Sampling, "--labeler", spec, "--out", P("prefs")]);

        Assert.Equal(2, code);
        Assert.Contains(expected, output);
        Assert.False(Directory.Exists(P("prefs")));
    }

    [Fact]
    public async Task CollectPreferences_BadLabelsLine_ExitCode2NamingFileAndLine()
    {
        var (code, output) = await RunAsync(["ml", "collect-preferences", .. Sampling, "--candidates-only", "--out", P("cands")]);
        Assert.True(code == 0, output);
        File.WriteAllLines(P("labels.jsonl"), ["""{"prompt_id": "a", "chosen": 2, "rejected": 0}""", """{"prompt_id": "zz", "completion": 0, "score": 1}"""]);

        (code, output) = await RunAsync("ml", "collect-preferences", "--candidates", P("cands/v1/candidates.jsonl"),
            "--labeler", "human:" + P("labels.jsonl"), "--out", P("prefs"));

        Assert.Equal(2, code);
        Assert.Contains("labels.jsonl:2: field 'prompt_id'", output);
        Assert.DoesNotContain("   at ", output);
    }
}
