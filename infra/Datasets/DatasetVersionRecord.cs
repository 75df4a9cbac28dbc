using Pipeline.Infra.Artifacts;

namespace Pipeline.Infra.Datasets;

/// <summary>
/// The JSON body of a version record (kind <see cref="ArtifactKinds.Dataset"/>). It exists because the files'
/// manifest cannot carry the version: two versions with identical files share one manifest artifact, and the
/// store keeps the metadata of its first put. Naming dataset, version and time makes every record's bytes, and
/// so its digest, unique per version.
/// </summary>
internal sealed record DatasetVersionRecord(
    string Format,
    string Dataset,
    string Version,
    string FilesDigest,
    int FileCount,
    long TotalBytes,
    DateTimeOffset PublishedAt,
    IReadOnlyDictionary<string, string>? Properties)
{
    public const string CurrentFormat = "pipeline-dataset-version/v1";

    /// <summary>Set in the record artifact's <see cref="ArtifactMetadata.Properties"/> under "content-type".</summary>
    public const string ContentType = "application/vnd.pipeline.dataset-version+json";

    public byte[] ToJson() => ArtifactJson.Serialize(this);

    /// <summary>Parses and checks a record; throws <see cref="InvalidDataException"/> naming the record and the fault.</summary>
    public static DatasetVersionRecord Parse(string digest, ReadOnlySpan<byte> json)
    {
        DatasetVersionRecord record;
        try
        {
            record = ArtifactJson.Deserialize<DatasetVersionRecord>(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"Dataset version record {digest} is not valid JSON: {e.Message}", e);
        }
        // System.Text.Json fills a missing member with null/0 rather than failing, so check what we rely on.
        var problem = record.Format != CurrentFormat ? $"format is '{record.Format}', expected '{CurrentFormat}'"
            : DatasetNames.Problem(record.Dataset, "dataset") ?? DatasetNames.Problem(record.Version, "version")
            ?? (record.FilesDigest is null || !ArtifactDigest.IsValid(record.FilesDigest) ? $"filesDigest '{record.FilesDigest}' is not a sha256 digest"
            : record.FileCount < 0 || record.TotalBytes < 0 ? $"fileCount {record.FileCount} / totalBytes {record.TotalBytes} is negative"
            : record.PublishedAt == default ? "publishedAt is missing"
            : null);
        return problem is null ? record : throw new InvalidDataException($"Dataset version record {digest} is invalid: {problem}.");
    }
}
