using Pipeline.Activities.Registry;
using Pipeline.Durable;
using Pipeline.Eval.Domain;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Models;
using Pipeline.ML.Training;
using Pipeline.Tests.Shared;
using Pipeline.Workflows.Contracts;
using Pipeline.Workflows.PostTraining;

namespace Pipeline.Workflows.Tests.PostTraining;

/// <summary>The whole recipe under the time-skipping engine with the real activities (pretraining, LoRA SFT, evals,
/// gates, GRPO, registry, serving API, simulator) on a tiny model.</summary>
public sealed class PostTrainingWorkflowTests
{
    private static async Task<PostTrainingResult> RunAsync(RecipeWorld world, RecipeConfig recipe, string version = "v1",
        IReadOnlyList<HumanPreference>? human = null)
    {
        var input = new PostTrainingInput(world.Dataset with { Version = version }, "arith-demo", "arith-demo-base@pretrained", recipe);
        var handle = await world.Env.Client.StartWorkflowAsync((PostTrainingWorkflow w) => w.RunAsync(input),
            new WorkflowOptions { Id = PostTrainingInput.WorkflowIdFor("arith-demo", version), TaskQueue = RecipeWorld.WorkflowQueue });
        // Sent as the run starts: pretraining and SFT come first, so the pairs are in before the preferences stage.
        if (human is not null) await handle.SignalAsync((PostTrainingWorkflow w) => w.AddHumanPreferencesAsync(human));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        return (await handle.GetResultAsync(timeout.Token))!;
    }

    [Fact]
    public async Task RunAsync_TinyModelWithPlumbingGates_RunsEveryStageRegistersAndDecidesTheAbWindow()
    {
        await using var world = await RecipeWorld.StartAsync();

        var result = await RunAsync(world, RecipeWorld.TinyRecipe());

        var names = result.Stages.Select(s => s.Name).ToList();
        Assert.Equal(["base_pretrain", "base_eval", "base_gate", "base_register", "resolve", "baseline_eval", "sft", "sft_eval", "gate_sft",
            "preferences", "grpo", "final_eval", "gate_preference", "gate_deploy", "register", "ab_rollout"], names.Take(16));
        Assert.Equal("skipped", result.Stages.Single(s => s.Name == "preferences").Status);
        Assert.True(result.Stages.Single(s => s.Name == "sft").Metrics["steps"] == 4);
        // The challenger is registered; the baseline became v1 and champion so the window had something to compare.
        Assert.NotNull(result.Challenger);
        var champion = await world.Tracking.GetVersionByAliasAsync("arith-demo", RegistryActivities.Champion);
        Assert.NotNull(champion);
        var window = result.Stages.Single(s => s.Name == "ab_rollout");
        Assert.True(window.Metrics["champion_requests"] + window.Metrics["challenger_requests"] == 16, window.Detail);
        // Two random models: whatever the test says, the decision and the alias agree.
        if (result.Promoted)
        {
            Assert.Equal(PostTrainingStatus.Promoted, result.Status);
            Assert.Equal(result.Challenger!.Version, champion!.Version);
        }
        else
        {
            Assert.Equal(PostTrainingStatus.RolledBack, result.Status);
            Assert.Equal(1, champion!.Version);
            Assert.Null(await world.Tracking.GetVersionByAliasAsync("arith-demo", RegistryActivities.Challenger));
        }
        var events = await world.Outbox.PendingAsync(100);
        Assert.Contains(events, e => e.TypeName.Contains("GateDecided", StringComparison.Ordinal));
        Assert.Contains(events, e => e.TypeName.Contains("PostTrainingCompleted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ShippedPostSftGateOnATinyModel_EndsBlockedWithTheDecisionAndRegistersNothing()
    {
        await using var world = await RecipeWorld.StartAsync();

        var result = await RunAsync(world, RecipeWorld.TinyRecipe(sftGate: "post-sft"));

        Assert.Equal(PostTrainingStatus.Blocked, result.Status);
        Assert.False(result.Promoted);
        var gate = result.Stages.Single(s => s.Name == "gate_sft");
        Assert.Equal("blocked", gate.Status);
        Assert.StartsWith("sha256:", gate.Artifacts["decision"]);
        Assert.Contains("in-domain floor", result.Reason);
        Assert.DoesNotContain(result.Stages, s => s.Name is "grpo" or "register");
        Assert.Null(await world.Tracking.GetRegisteredModelAsync("arith-demo"));
    }

    [Fact]
    public async Task RunAsync_AbWindowClosesWithoutFeedback_RollsBackTheChallengerAndKeepsTheChampion()
    {
        await using var world = await RecipeWorld.StartAsync();
        var tiny = RecipeWorld.TinyRecipe();
        var recipe = tiny with { Rollout = tiny.Rollout with { SimulatedRequests = 0, MaxDuration = TimeSpan.FromHours(2) } };

        var result = await RunAsync(world, recipe);

        Assert.Equal(PostTrainingStatus.RolledBack, result.Status);
        Assert.False(result.Promoted);
        var window = result.Stages.Single(s => s.Name == "ab_rollout");
        Assert.Equal("roll_back", window.Status);
        Assert.Equal(0, window.Metrics["challenger_feedback"]);
        Assert.Equal("rolled_back", result.Stages.Single(s => s.Name == "rollback").Status);
        Assert.Equal(1, (await world.Tracking.GetVersionByAliasAsync("arith-demo", RegistryActivities.Champion))!.Version);
        Assert.Null(await world.Tracking.GetVersionByAliasAsync("arith-demo", RegistryActivities.Challenger));
        var events = await world.Outbox.PendingAsync(100);
        Assert.Contains(events, e => e.TypeName.Contains("ModelRolledBack", StringComparison.Ordinal));
        Assert.DoesNotContain(events, e => e.TypeName.Contains("ModelPromoted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_DpoRecipeWithHumanPreferences_CollectsAnchoredPairsTrainsDpoRegistersAndDecides()
    {
        await using var world = await RecipeWorld.StartAsync();
        HumanPreference[] human =
        [
            new("What is 2 + 3?", "2 + 3 = 5.", "2 + 3 = 6.", "ann"),
            new("How do I pick a lock?", DemoPhrases.Refusal, "Sure! Take a tension wrench.", "bob"),
            new("What is 1 + 1?", "2<|im_start|>user", "3", "eve"),   // a chat marker: dropped, never trained on
        ];

        var result = await RunAsync(world, RecipeWorld.TinyDpoRecipe(), human: human);

        var names = result.Stages.Select(s => s.Name).ToList();
        Assert.Equal(["sft", "sft_eval", "gate_sft", "preferences", "dpo", "final_eval", "gate_preference", "gate_deploy", "register", "ab_rollout"],
            names.SkipWhile(n => n != "sft").Take(10));
        var prefs = result.Stages.Single(s => s.Name == "preferences");
        Assert.Equal("completed", prefs.Status);
        var counts = prefs.Metrics;
        Assert.Equal(2, counts["human"]);
        Assert.Equal(1, counts["human_dropped"]);
        Assert.Equal(AnchorRows(world), counts["anchors"]);
        Assert.True(counts["anchors"] > 0, prefs.Detail);
        Assert.Equal(counts["collected"] + counts["extra_copies"] + counts["anchors"] + counts["human"], counts["pairs"]);
        Assert.Equal(8, counts["prompts"] + counts["duplicate_prompts"]);
        Assert.Equal(counts["prompts"] * 2, counts["samples"]);
        Assert.True(counts.ContainsKey("ties") && counts.ContainsKey("truncated") && counts.ContainsKey("duplicates"), string.Join(", ", counts.Keys));

        // The stored set holds exactly the counted pairs, the people's among them.
        var setDir = await ModelPackages.DirectoryOnceAsync(world.Store, prefs.Artifacts["preferences"], Path.Combine(world.Root, "check"), CancellationToken.None);
        var lines = File.ReadAllLines(Path.Combine(setDir, "preferences.jsonl"));
        Assert.Equal(counts["pairs"], lines.Length);
        Assert.Equal(2, lines.Count(l => l.Contains("\"source\":\"human:", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("<|im_start|>", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(setDir, "qc.json")));

        var dpo = result.Stages.Single(s => s.Name == "dpo");
        Assert.Equal(3, dpo.Metrics["steps"]);
        // The policy moved off its reference (the merged SFT model with the DPO adapter off): implicit rewards are not 0.
        Assert.NotEqual(0, dpo.Metrics["rewards/chosen"]);
        Assert.True(double.IsFinite(dpo.Metrics["loss"]), dpo.Detail);
        // Every stored DPO checkpoint carries the reference log-probs: a retried attempt resumes from it in a fresh folder,
        // where the trainer refuses to recompute them from trained weights.
        var checkpoints = new List<string>();
        await foreach (var stored in world.Store.ListAsync(ArtifactKinds.Checkpoint))
        {
            if ((await world.Store.GetMetadataAsync(stored.Digest))?.Name.StartsWith("dpo-checkpoint-", StringComparison.Ordinal) == true) checkpoints.Add(stored.Digest);
        }
        Assert.Equal(3, checkpoints.Count);   // SaveSteps 1
        foreach (var digest in checkpoints)
        {
            var dir = await ModelPackages.DirectoryOnceAsync(world.Store, digest, Path.Combine(world.Root, "check"), CancellationToken.None);
            Assert.True(File.Exists(Path.Combine(dir, DpoTrainer.ReferenceCacheFile)), $"checkpoint {digest} has no {DpoTrainer.ReferenceCacheFile}");
        }
        Assert.NotNull(result.Challenger);
        Assert.Contains(result.Status, new[] { PostTrainingStatus.Promoted, PostTrainingStatus.RolledBack });
    }

    /// <summary>The SFT rows the anchors come from: answers that are exactly the refusal or "I don't know.".</summary>
    private static int AnchorRows(RecipeWorld world)
    {
        var sft = Path.Combine(world.Root, "data", "v1", "sft", "train.jsonl");
        return File.ReadLines(sft).Count(l => l.EndsWith($"\"content\":\"{DemoPhrases.Refusal}\"}}]}}", StringComparison.Ordinal)
            || l.EndsWith($"\"content\":\"{DemoPhrases.Abstain}\"}}]}}", StringComparison.Ordinal));
    }
}
