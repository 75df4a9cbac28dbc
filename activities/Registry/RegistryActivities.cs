using Microsoft.Extensions.Logging;
using Pipeline.Activities.Support;
using Pipeline.Durable;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Contracts;
using Pipeline.Infra.Tracking;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Activities.Registry;

/// <summary>
/// The model registry (MLflow's semantics, through <see cref="ITrackingStore"/>): a version's source is its model
/// package digest; <c>champion</c> is what serves, <c>challenger</c> what is being tested. Each call is safe to retry:
/// an alias that already points at the same package is taken as done. Alias moves publish their events through the outbox.
/// </summary>
public sealed class RegistryActivities(ITrackingStore registry, IEventOutbox outbox, TrackingRuns tracking, TimeProvider clock, ILogger<RegistryActivities> logger)
    : IRegistryActivities
{
    public const string Champion = "champion";
    public const string Challenger = "challenger";

    [Activity]
    public Task<ResolvedModels> ResolveModelsAsync(ResolveModelsRequest r) => Failures.GuardAsync(async () =>
    {
        var reference = ModelReference.Parse(r.BaseModel);
        var found = reference.Alias is { } alias
            ? await registry.GetVersionByAliasAsync(reference.Name, alias)
            : await registry.GetModelVersionAsync(reference.Name, reference.Version!.Value);
        var champion = await registry.GetRegisteredModelAsync(r.ModelName) is null ? null : await registry.GetVersionByAliasAsync(r.ModelName, Champion);
        return new ResolvedModels(found is null ? null : Ref(found, "base"), champion is null ? null : Ref(champion, Champion));
    });

    [Activity]
    public Task<RegisterResult> RegisterAsync(RegisterRequest r) => Failures.GuardAsync(async () =>
    {
        await registry.CreateRegisteredModelAsync(r.ModelName);
        var champion = await registry.GetVersionByAliasAsync(r.ModelName, Champion);
        if (champion is null)
        {
            // The first challenger needs something to be tested against: the baseline it was gated against becomes v1.
            champion = await registry.CreateModelVersionAsync(r.ModelName, r.Baseline.PackageDigest, null);
            await registry.SetAliasAsync(r.ModelName, Champion, champion.Version);
            logger.LogStage("register", $"{r.ModelName} had no champion: registered the baseline as version {champion.Version} and made it champion");
        }
        var existing = await registry.GetVersionByAliasAsync(r.ModelName, Challenger);
        if (existing is null || existing.Source != r.Candidate.PackageDigest)
        {
            var parameters = new Dictionary<string, string>
            {
                ["workflow_id"] = r.WorkflowId, ["dataset"] = r.Dataset.ToString(), ["dataset_files"] = r.Dataset.FilesDigest,
                ["parent"] = r.Baseline.PackageDigest, ["package"] = r.Candidate.PackageDigest,
            };
            foreach (var (key, digest) in r.Lineage) parameters[$"lineage.{key}"] = digest;
            var runId = await tracking.LogAsync(r.WorkflowId, "register", parameters, [], r.Metrics, default);
            existing = await registry.CreateModelVersionAsync(r.ModelName, r.Candidate.PackageDigest, runId);
            await registry.SetAliasAsync(r.ModelName, Challenger, existing.Version);
        }
        logger.LogStage("register", $"{r.ModelName}/{existing.Version} is the challenger of champion {r.ModelName}/{champion.Version}");
        return new RegisterResult(Ref(existing, Challenger), Ref(champion, Champion));
    });

    [Activity]
    public Task<ModelRef> RegisterBaseAsync(RegisterBaseRequest r) => Failures.GuardAsync(async () =>
    {
        var reference = ModelReference.Parse(r.BaseModel);
        var alias = reference.Alias ?? throw Failures.InvalidInput($"a base model is registered under an alias: expected NAME@ALIAS, got {r.BaseModel}");
        await registry.CreateRegisteredModelAsync(reference.Name);
        var version = await registry.GetVersionByAliasAsync(reference.Name, alias);
        if (version is null || version.Source != r.Model.PackageDigest)
        {
            var runId = await tracking.LogAsync(r.WorkflowId, "register_base",
                new Dictionary<string, string> { ["workflow_id"] = r.WorkflowId, ["dataset"] = r.Dataset.ToString(), ["package"] = r.Model.PackageDigest }, [], r.Metrics, default);
            version = await registry.CreateModelVersionAsync(reference.Name, r.Model.PackageDigest, runId);
            await registry.SetAliasAsync(reference.Name, alias, version.Version);
        }
        return Ref(version, "base");
    });

    [Activity]
    public Task PromoteAsync(AliasRequest r) => Failures.GuardAsync(async () =>
    {
        await registry.SetAliasAsync(r.ModelName, Champion, r.ChallengerVersion);
        await registry.DeleteAliasAsync(r.ModelName, Challenger);
        await outbox.EnqueueAsync(new ModelPromoted(r.ModelName, $"{r.ChallengerVersion}", Challenger, Champion, r.Reason, clock.GetUtcNow()));
        logger.LogStage("promote", $"{r.ModelName}: champion → {r.ChallengerVersion} (was {r.ChampionVersion}): {r.Reason}");
        return true;
    });

    [Activity]
    public Task RollBackAsync(AliasRequest r) => Failures.GuardAsync(async () =>
    {
        await registry.DeleteAliasAsync(r.ModelName, Challenger);
        await outbox.EnqueueAsync(new ModelRolledBack(r.ModelName, $"{r.ChampionVersion}", Challenger, null, r.Reason, clock.GetUtcNow()));
        logger.LogStage("rollback", $"{r.ModelName}: challenger {r.ChallengerVersion} withdrawn, champion stays {r.ChampionVersion}: {r.Reason}");
        return true;
    });

    [Activity]
    public Task PublishCompletionAsync(CompletionNotice n) => Failures.GuardAsync(async () =>
    {
        var outcome = n.Status switch
        {
            PostTrainingStatus.Promoted => PostTrainingOutcome.Succeeded,
            PostTrainingStatus.Aborted => PostTrainingOutcome.Failed,
            _ => PostTrainingOutcome.Rejected,
        };
        await outbox.EnqueueAsync(new PostTrainingCompleted(n.WorkflowId, n.Dataset.ToString(), outcome,
            n.Challenger?.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture), n.Challenger?.PackageDigest, clock.GetUtcNow()));
        return true;
    });

    private static ModelRef Ref(ModelVersion v, string label) => new(v.Source, v.ModelName, v.Version, label);
}
