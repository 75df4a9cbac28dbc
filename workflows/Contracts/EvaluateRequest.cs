namespace Pipeline.Workflows.Contracts;

/// <summary>Evaluate a model on the named suites over a dataset version's eval files.</summary>
/// <param name="Stage">The run's stage name (baseline_eval, sft_eval, final_eval): names the tracking run and artifact.</param>
public sealed record EvaluateRequest(
    ModelRef Model, DatasetVersionRef Dataset, string Suites, int? Limit, int BootstrapSamples, string WorkflowId, string Stage);
