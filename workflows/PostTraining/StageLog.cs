using Pipeline.Durable;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Workflows.PostTraining;

/// <summary>The run's stage table as it grows: each stage's start, duration (workflow time), key numbers, artifacts
/// and one line of why. Queried while the run is open; returned in the result.</summary>
internal sealed class StageLog
{
    private readonly List<StageRecord> _stages = [];

    public string Current { get; set; } = "starting";

    public IReadOnlyList<StageRecord> Stages => _stages;

    public DateTime Begin(string stage)
    {
        Current = stage;
        return Workflow.UtcNow;
    }

    public void End(string stage, DateTime started, string status, string detail,
        IReadOnlyDictionary<string, double>? metrics = null, IReadOnlyDictionary<string, string>? artifacts = null) =>
        _stages.Add(new StageRecord(stage, status, started, (Workflow.UtcNow - started).TotalSeconds,
            metrics ?? new Dictionary<string, double>(), artifacts ?? new Dictionary<string, string>(), detail));

    public void Add(StageRecord stage) => _stages.Add(stage);

    public void Skip(string stage, string detail) => End(stage, Workflow.UtcNow, "skipped", detail);

    public void Finish(string state) => Current = state;

    /// <summary>A training stage's numbers for its line: its final metrics plus steps and where a retry resumed.</summary>
    public static IReadOnlyDictionary<string, double> TrainingMetrics(TrainResult r) =>
        new Dictionary<string, double>(r.Metrics) { ["steps"] = r.Steps, ["resumed_from_step"] = r.ResumedFromStep };
}
