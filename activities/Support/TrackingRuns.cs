using Pipeline.Durable;
using Pipeline.Infra.Tracking;
using Pipeline.ML.Training;

namespace Pipeline.Activities.Support;

/// <summary>Each stage of a run is a tracking run (MLflow's sense) in the recipe's experiment, named
/// <c>{workflow id} {stage}</c> and tagged with both — and, when logged from an activity, with the workflow's run id
/// (<c>pipeline.run_id</c>), so the curves of one run of an id are told apart from another's.</summary>
public sealed class TrackingRuns(ITrackingStore tracking, string experiment)
{
    public async Task<string> LogAsync(string workflowId, string stage, IReadOnlyDictionary<string, string> parameters,
        IReadOnlyList<TrainingLog> history, IReadOnlyDictionary<string, double> summary, CancellationToken ct)
    {
        var exp = await tracking.CreateExperimentAsync(experiment, ct);
        var tags = new Dictionary<string, string> { ["pipeline.workflow_id"] = workflowId, ["pipeline.stage"] = stage };
        if (ActivityExecutionContext.HasCurrent) tags["pipeline.run_id"] = ActivityExecutionContext.Current.Info.RunId;
        var run = await tracking.CreateRunAsync(exp.Id, $"{workflowId} {stage}", DateTimeOffset.UtcNow, tags, ct);
        var now = DateTimeOffset.UtcNow;
        var points = history.SelectMany(log => log.Values.Where(v => double.IsFinite(v.Value))
                .Select(v => new MetricPoint(v.Key, v.Value, log.Step, now)))
            .Concat(summary.Where(v => double.IsFinite(v.Value)).Select(v => new MetricPoint(v.Key, v.Value, 0, now)))
            .ToList();
        await tracking.LogBatchAsync(run.Id, points, parameters, null, ct);
        await tracking.UpdateRunAsync(run.Id, RunStatus.Finished, DateTimeOffset.UtcNow, ct);
        return run.Id;
    }
}
