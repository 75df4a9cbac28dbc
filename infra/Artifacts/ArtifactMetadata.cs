namespace Pipeline.Infra.Artifacts;

/// <summary>
/// What an artifact is and where it came from. Stored once, with the first put of its bytes, and never changed:
/// a later put of the same bytes with different metadata keeps the first (content addressing makes the bytes
/// the identity; lineage is a fact about the first time they were produced).
/// </summary>
/// <param name="Kind">dataset, model, adapter, checkpoint, eval-run, gate-decision, … (see <see cref="ArtifactKinds"/>).</param>
/// <param name="Name">A human-readable name, e.g. "sft-train-v3" or "config.json".</param>
/// <param name="CreatedAt">When it was first stored.</param>
/// <param name="ProducedBy">The run or workflow id that produced it, if any.</param>
/// <param name="Inputs">Digests of the artifacts it was made from: its lineage.</param>
/// <param name="Properties">Free-form string properties (hyperparameters, content type, …).</param>
public sealed record ArtifactMetadata(
    string Kind,
    string Name,
    DateTimeOffset CreatedAt,
    string? ProducedBy = null,
    IReadOnlyList<string>? Inputs = null,
    IReadOnlyDictionary<string, string>? Properties = null)
{
    public IReadOnlyList<string> Inputs { get; init; } = Inputs ?? [];

    public IReadOnlyDictionary<string, string> Properties { get; init; } = Properties ?? new Dictionary<string, string>();
}
