using Pipeline.Eval.Results;

namespace Pipeline.Eval.Running;

/// <summary>Where an eval run reads its data and writes its results, and how it computes intervals.</summary>
public sealed record EvalRunOptions
{
    /// <summary>The run's folder: eval.json and examples/SUITE.jsonl go there.</summary>
    public required string OutDir { get; init; }

    /// <summary>The dataset version folder suites' dataset paths are relative to; its manifest.json, when present, is
    /// cited in the report and names the training files the contamination check reads.</summary>
    public string? DataDir { get; init; }

    public BootstrapSettings Bootstrap { get; init; } = new(1000, 0, 0.95);

    /// <summary>Caps every suite at N rows (a quick look; the report records it).</summary>
    public int? Limit { get; init; }

    /// <summary>Training files to check every suite's dataset against; each example gets a contaminated score and each
    /// suite the contamination_rate metric. Empty: the manifest's training files when there is one.</summary>
    public IReadOnlyList<string> TrainFiles { get; init; } = [];

    /// <summary>Skip the contamination check even where a manifest names training files.</summary>
    public bool SkipContamination { get; init; }

    public string? SuitesFile { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Progress lines ("in_domain: 320/1000 examples, 410 tok/s").</summary>
    public Action<string>? Progress { get; init; }
}
