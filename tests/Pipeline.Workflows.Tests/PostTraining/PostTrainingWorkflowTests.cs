using Pipeline.Activities.Registry;
using Pipeline.Durable;
using Pipeline.Workflows.Contracts;
using Pipeline.Workflows.PostTraining;
using Pipeline.Workflows.Tests.Support;

namespace Pipeline.Workflows.Tests.PostTraining;

/// <summary>The whole recipe under the time-skipping engine with the real activities (pretraining, LoRA SFT, evals,
/// gates, GRPO, registry, serving API, simulator) on a tiny model.</summary>
public sealed class PostTrainingWorkflowTests
{
    private static async Task<PostTrainingResult> RunAsync(RecipeWorld world, RecipeConfig recipe, string version = "v1")
    {
        var input = new PostTrainingInput(world.Dataset with { Version = version }, "arith-demo", "arith-demo-base@pretrained", recipe);
        var handle = await world.Env.Client.StartWorkflowAsync((PostTrainingWorkflow w) => w.RunAsync(input),
            new WorkflowOptions { Id = PostTrainingInput.WorkflowIdFor("arith-demo", version), TaskQueue = RecipeWorld.WorkflowQueue });
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
}
