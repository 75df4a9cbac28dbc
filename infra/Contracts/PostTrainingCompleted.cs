namespace Pipeline.Infra.Contracts;

/// <summary>A post-training workflow finished, whatever its outcome.</summary>
/// <param name="WorkflowId">The workflow's id, e.g. <c>post-train/gsm-mini@v3</c>.</param>
/// <param name="DatasetVersion">The input as <c>dataset@version</c>.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="ModelVersion">The registered model version, or null when none was registered.</param>
/// <param name="ArtifactDigest">Digest of the model artifact (<c>sha256:...</c>), or null when none.</param>
/// <param name="CompletedAt">When the workflow finished.</param>
public sealed record PostTrainingCompleted(
    string WorkflowId,
    string DatasetVersion,
    PostTrainingOutcome Outcome,
    string? ModelVersion,
    string? ArtifactDigest,
    DateTimeOffset CompletedAt);
