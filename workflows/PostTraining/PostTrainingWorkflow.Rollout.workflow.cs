using Pipeline.Durable;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Workflows.PostTraining;

// The A/B window: route a share of traffic to the challenger, look at the online metric every CheckInterval (a durable
// timer), decide with AbTest (guardrails, then a two-proportion z-test once both variants have enough feedback or the
// window closes), or as a person decides by signal; then promote or roll back.
public sealed partial class PostTrainingWorkflow
{
    private RegisterResult? _registered;

    private async Task<PostTrainingResult> RolloutAsync(PostTrainingInput input, RegisterResult registered, CancellationToken token)
    {
        _registered = registered;
        var config = input.Recipe.Rollout;
        var (champion, challenger) = (registered.Champion, registered.Challenger);
        var started = _log.Begin("ab_rollout");
        var experiment = await Workflow.ExecuteActivityAsync((IRolloutActivities a) => a.StartExperimentAsync(
            new StartExperimentRequest(input.ModelName, champion.Version!.Value, challenger.Version!.Value, config.ChallengerShare, Workflow.Info.WorkflowId)),
            RecipeActivityOptions.Control(token));

        using var simulation = CancellationTokenSource.CreateLinkedTokenSource(token);
        var simulated = config.SimulatedRequests > 0
            ? Workflow.ExecuteActivityAsync((IRolloutActivities a) => a.SimulateTrafficAsync(
                new SimulateTrafficRequest(input.ModelName, input.Dataset, config.SimulatedRequests, config.SimulatedUsers, 17)),
                RecipeActivityOptions.Simulation(config, simulation.Token))
            : null;
        var deadline = Workflow.UtcNow + config.MaxDuration;
        var simulationDone = simulated is null;
        AbDecision decision;
        while (true)
        {
            await Workflow.WaitConditionAsync(
                () => _manual is not null || token.IsCancellationRequested || (!simulationDone && simulated!.IsCompleted), config.CheckInterval);
            if (token.IsCancellationRequested) break;
            simulationDone |= simulated?.IsCompleted ?? true;
            _online = await Workflow.ExecuteActivityAsync((IRolloutActivities a) => a.ReadExperimentAsync(experiment), RecipeActivityOptions.Control(token));
            // Simulated traffic is all the traffic there will be: once it is sent, the window has nothing left to wait for.
            var closed = Workflow.UtcNow >= deadline || (simulated is not null && simulationDone);
            decision = _manual is { } m
                ? new AbDecision(m.Promote ? AbVerdict.Promote : AbVerdict.RollBack, m.Reason, _online.Champion.PositiveRate, _online.Challenger.PositiveRate, null, null)
                : AbTest.Decide(_online, config, closed);
            if (decision.Verdict != AbVerdict.Continue) return await DecideAsync(input, experiment, decision, started, simulated, simulation);
        }
        await EndWindowAsync(experiment, simulated, simulation);
        _log.End("ab_rollout", started, "aborted", $"aborted during the A/B window: {_abortReason}");
        await RollBackAsync(input, registered, $"aborted: {_abortReason}");
        return await FinishAsync(input, PostTrainingStatus.Aborted, $"aborted during the A/B window: {_abortReason}", challenger);
    }

    private async Task<PostTrainingResult> DecideAsync(PostTrainingInput input, ExperimentRef experiment, AbDecision decision, DateTime started,
        Task<SimulationResult>? simulated, CancellationTokenSource simulation)
    {
        var registered = _registered!;
        var metrics = new Dictionary<string, double>(decision.Metrics())
        {
            ["champion_feedback"] = _online!.Champion.Feedback, ["challenger_feedback"] = _online.Challenger.Feedback,
            ["champion_requests"] = _online.Champion.Requests, ["challenger_requests"] = _online.Challenger.Requests,
            ["challenger_error_rate"] = _online.Challenger.ErrorRate, ["challenger_latency_p95_ms"] = _online.Challenger.LatencyP95Ms,
            ["challenger_share"] = input.Recipe.Rollout.ChallengerShare,
        };
        await EndWindowAsync(experiment, simulated, simulation);
        var promote = decision.Verdict == AbVerdict.Promote;
        _log.End("ab_rollout", started, promote ? "promote" : "roll_back", decision.Reason, metrics);
        if (promote)
        {
            var step = _log.Begin("promote");
            await Workflow.ExecuteActivityAsync((IRegistryActivities a) => a.PromoteAsync(Alias(input, registered, decision.Reason)),
                RecipeActivityOptions.Control(CancellationToken.None));
            _log.End("promote", step, "promoted", $"champion → {registered.Challenger} (was {registered.Champion})");
            return await FinishAsync(input, PostTrainingStatus.Promoted, decision.Reason, registered.Challenger);
        }
        await RollBackAsync(input, registered, decision.Reason);
        return await FinishAsync(input, PostTrainingStatus.RolledBack, decision.Reason, registered.Challenger);
    }

    private async Task RollBackAsync(PostTrainingInput input, RegisterResult registered, string reason)
    {
        var step = _log.Begin("rollback");
        await Workflow.ExecuteActivityAsync((IRegistryActivities a) => a.RollBackAsync(Alias(input, registered, reason)),
            RecipeActivityOptions.Control(CancellationToken.None));
        _log.End("rollback", step, "rolled_back", $"{registered.Challenger} withdrawn; champion stays {registered.Champion}");
    }

    /// <summary>Ends the experiment (traffic back to the champion) and stops the simulator if it is still sending.</summary>
    private static async Task EndWindowAsync(ExperimentRef experiment, Task<SimulationResult>? simulated, CancellationTokenSource simulation)
    {
        if (simulated is { IsCompleted: false })
        {
            simulation.Cancel();
            try { await simulated; }
            catch (FailureException) { }   // cancelled or failed: either way it sends nothing more
        }
        await Workflow.ExecuteActivityAsync((IRolloutActivities a) => a.EndExperimentAsync(experiment), RecipeActivityOptions.Control(CancellationToken.None));
    }

    private static AliasRequest Alias(PostTrainingInput input, RegisterResult r, string reason) =>
        new(input.ModelName, r.Challenger.Version!.Value, r.Champion.Version!.Value, reason, Workflow.Info.WorkflowId);
}
