namespace Pipeline.Infra.Contracts;

/// <summary>
/// A dataset version was published and its manifest is readable at <paramref name="ManifestUri"/>.
/// Starts the post-training recipe (workflow id <c>post-train/{Dataset}@{Version}</c>).
/// </summary>
/// <param name="Dataset">Dataset name, e.g. <c>gsm-mini</c>.</param>
/// <param name="Version">Version within the dataset, e.g. <c>v3</c>.</param>
/// <param name="ManifestUri">Where the manifest lives (artifact store URI).</param>
/// <param name="ManifestSha256">Hex SHA-256 of the manifest bytes, so a consumer can verify what it reads.</param>
/// <param name="PublishedAt">When the publisher accepted the version.</param>
public sealed record DatasetVersionPublished(
    string Dataset,
    string Version,
    string ManifestUri,
    string ManifestSha256,
    DateTimeOffset PublishedAt);
