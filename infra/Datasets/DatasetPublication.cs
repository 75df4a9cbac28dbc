namespace Pipeline.Infra.Datasets;

/// <summary>A request to publish the files under <paramref name="Folder"/> as <c>{Dataset}@{Version}</c>.</summary>
/// <param name="Folder">The folder whose files (subfolders included) make up the version.</param>
/// <param name="Dataset">Dataset name: 1–100 of <c>[A-Za-z0-9._-]</c>, e.g. <c>gsm-mini</c>.</param>
/// <param name="Version">Version within the dataset, same rule, e.g. <c>v3</c>.</param>
/// <param name="Properties">Free-form properties kept in the version record (source, licence, row counts, …).</param>
/// <param name="ProducedBy">The run or user that published it; recorded as the artifacts' lineage.</param>
public sealed record DatasetPublication(
    string Folder,
    string Dataset,
    string Version,
    IReadOnlyDictionary<string, string>? Properties = null,
    string? ProducedBy = null);
