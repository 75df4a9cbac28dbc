using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Contracts;

namespace Pipeline.Infra.Datasets;

/// <summary>
/// The storage side of <c>pipeline dataset publish|list</c>. A version is two artifacts: the folder as a directory
/// artifact (kind <see cref="FilesKind"/>, shared by versions with identical files) and a small version record
/// (kind <see cref="ArtifactKinds.Dataset"/>) naming dataset, version and files digest. Publishing also enqueues
/// <see cref="DatasetVersionPublished"/> in the outbox, so it succeeds while the broker is down.
/// </summary>
public sealed class DatasetPublisher
{
    /// <summary>Kind of the files' directory manifest.</summary>
    public const string FilesKind = "dataset-files";

    private readonly IArtifactStore _store;
    private readonly IEventOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly DatasetCatalog _catalog;

    public DatasetPublisher(IArtifactStore store, IEventOutbox outbox, TimeProvider? time = null)
    {
        _store = store;
        _outbox = outbox;
        _time = time ?? TimeProvider.System;
        _catalog = new DatasetCatalog(store);
    }

    /// <summary>
    /// Publishes <see cref="DatasetPublication.Folder"/> as dataset@version. Versions are immutable: other files under
    /// a published name throw <see cref="DatasetVersionConflictException"/> before anything is stored; the same files
    /// again reuse the existing record. Either way the event is enqueued (again): the consumer dedupes by workflow
    /// id, and a re-publish is how an operator re-sends a lost trigger.
    /// </summary>
    public async Task<DatasetPublishResult> PublishAsync(DatasetPublication publication, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(publication);
        DatasetNames.Validate(publication.Dataset, "dataset");
        DatasetNames.Validate(publication.Version, "version");
        if (!Directory.Exists(publication.Folder))
        {
            throw new DirectoryNotFoundException($"Dataset folder '{publication.Folder}' does not exist.");
        }
        var (dataset, version) = (publication.Dataset, publication.Version);
        // Hash first and compare with what is published, so a refused version leaves no blobs behind.
        var folder = await DatasetFolder.HashAsync(publication.Folder, ct);
        if (folder.FileCount == 0)
        {
            throw new ArgumentException($"Dataset folder '{publication.Folder}' contains no files.", nameof(publication));
        }
        var existing = await FindAsync(dataset, version, ct);
        if (existing is not null && existing.FilesDigest != folder.FilesDigest)
        {
            throw new DatasetVersionConflictException(dataset, version, existing.FilesDigest, folder.FilesDigest);
        }
        var published = existing ?? await StoreAsync(publication, folder, ct);
        var messageId = await _outbox.EnqueueAsync(new DatasetVersionPublished(
            dataset, version, published.FilesUri.AbsoluteUri, published.FilesDigest[ArtifactDigest.Prefix.Length..], published.PublishedAt), ct);
        return new DatasetPublishResult(published, existing is not null, messageId);
    }

    /// <summary>Every published version, or those of one dataset (see <see cref="DatasetCatalog.ListAsync"/>).</summary>
    public Task<IReadOnlyList<PublishedDataset>> ListAsync(string? dataset = null, CancellationToken ct = default) => _catalog.ListAsync(dataset, ct);

    /// <summary>The published dataset@version, or null (see <see cref="DatasetCatalog.FindAsync"/>).</summary>
    public Task<PublishedDataset?> FindAsync(string dataset, string version, CancellationToken ct = default) => _catalog.FindAsync(dataset, version, ct);

    private async Task<PublishedDataset> StoreAsync(DatasetPublication publication, DatasetFolder folder, CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var name = $"{publication.Dataset}@{publication.Version}";
        var files = await _store.PutDirectoryAsync(
            publication.Folder, new ArtifactMetadata(FilesKind, name, now, publication.ProducedBy), ct);
        if (files.Digest != folder.FilesDigest)
        {
            throw new InvalidOperationException(
                $"Dataset folder '{publication.Folder}' changed while it was published (hashed {folder.FilesDigest}, stored {files.Digest}); publish again.");
        }
        var properties = new SortedDictionary<string, string>(
            publication.Properties?.ToDictionary() ?? [], StringComparer.Ordinal);
        var record = new DatasetVersionRecord(DatasetVersionRecord.CurrentFormat, publication.Dataset, publication.Version,
            files.Digest, folder.FileCount, folder.TotalBytes, now, properties);
        var recordMeta = new ArtifactMetadata(ArtifactKinds.Dataset, name, now, publication.ProducedBy, [files.Digest],
            new Dictionary<string, string> { ["content-type"] = DatasetVersionRecord.ContentType });
        var stored = await _store.PutAsync(new MemoryStream(record.ToJson()), recordMeta, ct);
        return new PublishedDataset(record.Dataset, record.Version, stored.Digest, files.Digest, files.Uri,
            record.FileCount, record.TotalBytes, record.PublishedAt, properties);
    }
}
