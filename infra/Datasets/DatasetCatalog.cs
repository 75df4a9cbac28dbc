using Pipeline.Infra.Artifacts;

namespace Pipeline.Infra.Datasets;

/// <summary>
/// The read side of published datasets: lists and finds version records in an artifact store. Needs no outbox, so
/// anything that only looks datasets up (the recipe launcher, the audit UI) can use it without a bus.
/// </summary>
public sealed class DatasetCatalog(IArtifactStore store)
{
    private readonly IArtifactStore _store = store;

    /// <summary>Every published version, or those of one dataset, ordered by dataset, then time published.</summary>
    public async Task<IReadOnlyList<PublishedDataset>> ListAsync(string? dataset = null, CancellationToken ct = default)
    {
        var found = new List<PublishedDataset>();
        await foreach (var artifact in _store.ListAsync(ArtifactKinds.Dataset, ct))
        {
            // Kinds are open strings: other dataset-kind artifacts may share the store; only our records are read.
            var metadata = await _store.GetMetadataAsync(artifact.Digest, ct);
            if (metadata?.Properties.GetValueOrDefault("content-type") != DatasetVersionRecord.ContentType)
            {
                continue;
            }
            var item = await ReadAsync(artifact.Digest, ct);
            if (dataset is null || item.Dataset == dataset)
            {
                found.Add(item);
            }
        }
        return found.OrderBy(d => d.Dataset, StringComparer.Ordinal).ThenBy(d => d.PublishedAt)
            .ThenBy(d => d.Version, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The published dataset@version, or null. Two publishers racing on a new version can both write a record; the
    /// earlier one is the version (records are never deleted, so the answer does not change later).
    /// </summary>
    public async Task<PublishedDataset?> FindAsync(string dataset, string version, CancellationToken ct = default) =>
        (await ListAsync(dataset, ct)).FirstOrDefault(d => d.Version == version);

    private async Task<PublishedDataset> ReadAsync(string digest, CancellationToken ct)
    {
        await using var stream = await _store.OpenAsync(digest, ct);
        var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct);
        var record = DatasetVersionRecord.Parse(digest, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        var files = await _store.StatAsync(record.FilesDigest, ct)
            ?? throw new InvalidDataException($"Dataset version record {digest} ({record.Dataset}@{record.Version}) points at files {record.FilesDigest}, which are not in the store.");
        return new PublishedDataset(record.Dataset, record.Version, digest, record.FilesDigest, files.Uri,
            record.FileCount, record.TotalBytes, record.PublishedAt, record.Properties ?? new Dictionary<string, string>());
    }
}
