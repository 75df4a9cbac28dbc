namespace Pipeline.Infra.Datasets;

/// <summary>
/// A dataset version is immutable: this is thrown when <c>{Dataset}@{Version}</c> is already published with other
/// files. Nothing was stored; publish the changed data as a new version.
/// </summary>
public sealed class DatasetVersionConflictException : Exception
{
    public DatasetVersionConflictException(string dataset, string version, string publishedFilesDigest, string newFilesDigest)
        : base($"{dataset}@{version} is already published with files {publishedFilesDigest}; these files are {newFilesDigest}; " +
               "publish changed data as a new version")
    {
        Dataset = dataset;
        Version = version;
        PublishedFilesDigest = publishedFilesDigest;
        NewFilesDigest = newFilesDigest;
    }

    public string Dataset { get; }

    public string Version { get; }

    /// <summary>The files digest of the version already published.</summary>
    public string PublishedFilesDigest { get; }

    /// <summary>The files digest of the folder that was refused.</summary>
    public string NewFilesDigest { get; }
}
