namespace Pipeline.Workers.Recipe;

/// <summary>One stage of the run in the demo's summary: the stage table's row.</summary>
public sealed record StageSummary(string Name, string Status, double Seconds, string Detail, IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Artifacts);
