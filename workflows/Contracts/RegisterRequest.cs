namespace Pipeline.Workflows.Contracts;

/// <summary>Register <paramref name="Candidate"/> as the next version of <paramref name="ModelName"/> with alias
/// <c>challenger</c>, its lineage (dataset version, parent, workflow id, artifacts) as tags and its metrics. When the
/// model has no champion yet, <paramref name="Baseline"/> is registered first and made champion, so the A/B window
/// has something to compare against.</summary>
public sealed record RegisterRequest(
    string ModelName,
    ModelRef Candidate,
    ModelRef Baseline,
    DatasetVersionRef Dataset,
    string WorkflowId,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, string> Lineage);
