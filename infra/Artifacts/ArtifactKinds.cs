namespace Pipeline.Infra.Artifacts;

/// <summary>The artifact kinds the pipeline writes. Kinds are open strings so adapters need no change for a new one.</summary>
public static class ArtifactKinds
{
    public const string Dataset = "dataset";
    public const string Model = "model";
    public const string Adapter = "adapter";
    public const string Checkpoint = "checkpoint";
    public const string EvalRun = "eval-run";
    public const string GateDecision = "gate-decision";

    /// <summary>A preference set: preferences.jsonl (TRL's pairs) and qc.json (what quality control kept and dropped).</summary>
    public const string Preferences = "preferences";

    /// <summary>One file of a directory artifact; the directory's manifest carries the caller's kind.</summary>
    public const string File = "file";
}
