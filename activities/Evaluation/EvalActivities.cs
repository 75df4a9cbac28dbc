using Microsoft.Extensions.Logging;
using Pipeline.Activities.Support;
using Pipeline.Durable;
using Pipeline.Eval.Gates;
using Pipeline.Eval.Reports;
using Pipeline.Eval.Results;
using Pipeline.Eval.Running;
using Pipeline.Eval.Suites;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Contracts;
using Pipeline.Infra.Models;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Activities.Evaluation;

/// <summary>Evaluation (eval/'s runner over the dataset version's eval files) and gates (eval/'s policies), each result
/// stored as a folder artifact with its reports; every gate decision is also published as <c>GateDecided</c>.</summary>
public sealed class EvalActivities(IArtifactStore store, IEventOutbox outbox, TrackingRuns tracking, RecipeWorkspace workspace, ILogger<EvalActivities> logger)
    : IEvalActivities
{
    [Activity]
    public Task<EvalResult> EvaluateAsync(EvaluateRequest r)
    {
        var ct = Token;
        return Failures.GuardAsync(() => Task.Run(async () =>
        {
            var data = await DatasetVersionFiles.OpenAsync(store, r.Dataset, workspace, ct);
            var local = await ModelPackages.MaterializeAsync(store, r.Model.PackageDigest, workspace.Cache, ct);
            var suitesFile = RecipeWorkspace.SuitesFile(r.Suites);
            var target = EvalTarget.Load(local.BaseDir, local.AdapterDir);
            var dir = workspace.FreshStageDir(r.WorkflowId, r.Stage);
            var report = EvalRunner.Run(target, SuiteFile.Load(suitesFile), new EvalRunOptions
            {
                OutDir = dir, DataDir = data.Directory, Bootstrap = new BootstrapSettings(r.BootstrapSamples, 0, 0.95), Limit = r.Limit, SuitesFile = suitesFile,
                Progress = line =>
                {
                    CurrentActivity.Heartbeat();
                    logger.LogStage(r.Stage, line);
                },
            });
            ReportFiles.WriteRun(dir, report);
            var stored = await store.PutDirectoryAsync(dir, new ArtifactMetadata(ArtifactKinds.EvalRun, $"{r.Stage} {r.Model}", DateTimeOffset.UtcNow, r.WorkflowId,
                [r.Model.PackageDigest, r.Dataset.FilesDigest], new Dictionary<string, string> { ["suites"] = r.Suites, ["stage"] = r.Stage }), ct);
            var metrics = Headline(report);
            var runId = await tracking.LogAsync(r.WorkflowId, r.Stage,
                new Dictionary<string, string> { ["model"] = r.Model.PackageDigest, ["dataset"] = r.Dataset.ToString(), ["suites"] = r.Suites }, [], metrics, ct);
            return new EvalResult(stored.Digest, metrics, runId);
        }, ct));
    }

    [Activity]
    public Task<GateResult> GateAsync(GateRequest r)
    {
        var ct = Token;
        return Failures.GuardAsync(async () =>
        {
            var candidate = EvalReport.Load(await ModelPackages.DirectoryOnceAsync(store, r.CandidateRunDigest, workspace.Cache, ct));
            var baseline = r.BaselineRunDigest is { } b ? EvalReport.Load(await ModelPackages.DirectoryOnceAsync(store, b, workspace.Cache, ct)) : null;
            var policy = GatePolicy.Load(RecipeWorkspace.PolicyFile(r.Policy));
            var decision = GateEvaluator.Decide(policy, candidate, baseline);
            var dir = workspace.FreshStageDir(r.WorkflowId, r.Gate);
            ReportFiles.WriteGate(dir, decision, candidate, baseline);
            var stored = await store.PutDirectoryAsync(dir, new ArtifactMetadata(ArtifactKinds.GateDecision, $"{r.Gate} {r.Policy}", DateTimeOffset.UtcNow,
                r.WorkflowId, [.. new[] { r.CandidateRunDigest, r.BaselineRunDigest }.OfType<string>()],
                new Dictionary<string, string> { ["policy"] = r.Policy, ["verdict"] = decision.Verdict.ToString().ToLowerInvariant() }), ct);
            await outbox.EnqueueAsync(new GateDecided(r.WorkflowId, r.Gate, decision.Passed ? Infra.Contracts.GateVerdict.Passed : Infra.Contracts.GateVerdict.Failed,
                stored.Digest, decision.DecidedAt), ct);
            logger.LogStage(r.Gate, $"{r.Policy}: {(decision.Passed ? "passed" : "blocked")}");
            return new GateResult(decision.Passed, stored.Digest, decision.FailedRules, Summary(decision));
        });
    }

    /// <summary>Every finite metric, keyed suite/metric.</summary>
    internal static IReadOnlyDictionary<string, double> Headline(EvalReport report) =>
        report.Suites.SelectMany(s => s.Metrics.Where(m => double.IsFinite(m.Value.Value)).Select(m => (Key: $"{s.Name}/{m.Key}", m.Value.Value)))
            .ToDictionary(x => x.Key, x => x.Value);

    private static string Summary(GateDecision d) => d.Passed
        ? $"all {d.Rules.Count} rules held"
        : $"{d.FailedRules.Count} of {d.Rules.Count} rules failed — " + string.Join("; ", d.Rules.Where(x => !x.Passed).Select(x => $"{x.Name}: {x.Reason}"));

    private static CancellationToken Token => CurrentActivity.Token;
}
