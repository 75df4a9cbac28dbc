namespace Pipeline.Infra.Datasets;

/// <summary>One published dataset version, read back from its version record.</summary>
/// <param name="Dataset">Dataset name.</param>
/// <param name="Version">Version within the dataset.</param>
/// <param name="RecordDigest">Digest of the version record artifact (kind <c>dataset</c>): the version's identity.</param>
/// <param name="FilesDigest">Digest of the files' directory manifest; versions with identical files share it.</param>
/// <param name="FilesUri">Where the directory manifest lives; <c>GetDirectoryAsync(FilesDigest)</c> brings the files back.</param>
/// <param name="FileCount">Number of files in the version.</param>
/// <param name="TotalBytes">Sum of the files' sizes.</param>
/// <param name="PublishedAt">When the version was first published.</param>
/// <param name="Properties">The properties given at publish time.</param>
public sealed record PublishedDataset(
    string Dataset,
    string Version,
    string RecordDigest,
    string FilesDigest,
    Uri FilesUri,
    int FileCount,
    long TotalBytes,
    DateTimeOffset PublishedAt,
    IReadOnlyDictionary<string, string> Properties);
