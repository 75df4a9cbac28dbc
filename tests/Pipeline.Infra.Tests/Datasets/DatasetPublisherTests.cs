using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Datasets;

namespace Pipeline.Infra.Tests.Datasets;

public sealed class DatasetPublisherTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-datasets-").FullName;
    private readonly LocalArtifactStore _store;
    private readonly SqliteEventOutbox _outbox;
    private readonly ManualClock _clock = new(T0);
    private readonly DatasetPublisher _publisher;

    public DatasetPublisherTests()
    {
        _store = new LocalArtifactStore(Path.Combine(_dir, "store"));
        _outbox = new SqliteEventOutbox(Path.Combine(_dir, "outbox.db"));
        _publisher = new DatasetPublisher(_store, _outbox, _clock);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<DatasetPublishResult> PublishAsync(string folder, string version = "v1", string dataset = "arith") =>
        _publisher.PublishAsync(new DatasetPublication(folder, dataset, version, new Dictionary<string, string> { ["source"] = "test" }, "run-1"));

    [Fact]
    public async Task PublishAsync_SmallFolder_ListedWithCountsAndFilesRoundTrip()
    {
        var folder = DatasetFolders.Make(_dir, "src");

        var result = await PublishAsync(folder);

        Assert.False(result.AlreadyPublished);
        var listed = Assert.Single(await _publisher.ListAsync());
        Assert.Equal(result.Dataset, listed with { Properties = result.Dataset.Properties });
        Assert.Equal(("arith", "v1", 3, DatasetFolders.TotalBytes(folder), T0),
            (listed.Dataset, listed.Version, listed.FileCount, listed.TotalBytes, listed.PublishedAt));
        Assert.Equal("test", listed.Properties["source"]);
        var restored = Path.Combine(_dir, "restored");
        await _store.GetDirectoryAsync(listed.FilesDigest, restored);
        DatasetFolders.AssertSameFiles(folder, restored);
    }

    [Fact]
    public async Task PublishAsync_SmallFolder_EnqueuesOneEventPointingAtFilesArtifact()
    {
        var result = await PublishAsync(DatasetFolders.Make(_dir, "src"));

        var sent = Assert.Single(await DatasetFolders.PendingEventsAsync(_outbox));
        var files = await _store.StatAsync(result.Dataset.FilesDigest);
        Assert.Equal(("arith", "v1", T0), (sent.Dataset, sent.Version, sent.PublishedAt));
        Assert.Equal(files!.Uri.AbsoluteUri, sent.ManifestUri);
        Assert.Equal(files.Digest, "sha256:" + sent.ManifestSha256);
        Assert.Equal(DatasetPublisher.FilesKind, files.Kind);
    }

    [Fact]
    public async Task PublishAsync_SameFolderAgain_AlreadyPublishedOneRecordTwoEvents()
    {
        var folder = DatasetFolders.Make(_dir, "src");
        var first = await PublishAsync(folder);
        _clock.Advance(TimeSpan.FromHours(1));

        var second = await PublishAsync(folder);

        Assert.True(second.AlreadyPublished);
        Assert.NotEqual(first.MessageId, second.MessageId);
        Assert.Equal(first.Dataset.RecordDigest, Assert.Single(await _publisher.ListAsync()).RecordDigest);
        var events = await DatasetFolders.PendingEventsAsync(_outbox);
        Assert.Equal(2, events.Count);
        // The re-sent trigger describes the version as first published, not the time of the retry.
        Assert.All(events, e => Assert.Equal(T0, e.PublishedAt));
    }

    [Fact]
    public async Task PublishAsync_ChangedFileSameVersion_ThrowsConflictNamingBothDigests()
    {
        var first = await PublishAsync(DatasetFolders.Make(_dir, "src"));
        var changed = DatasetFolders.Make(_dir, "changed", salt: "{\"q\":\"5+5\",\"a\":\"10\"}\n");
        var blobsBefore = await _store.ListAsync().CountAsync();

        var e = await Assert.ThrowsAsync<DatasetVersionConflictException>(() => PublishAsync(changed));

        Assert.Contains(first.Dataset.FilesDigest, e.Message);
        Assert.Contains(e.NewFilesDigest, e.Message);
        Assert.NotEqual(e.PublishedFilesDigest, e.NewFilesDigest);
        Assert.StartsWith("arith@v1 is already published with files sha256:", e.Message);
        Assert.Single(await _publisher.ListAsync());
        Assert.Equal(blobsBefore, await _store.ListAsync().CountAsync());
        Assert.Single(await _outbox.PendingAsync(10));
    }

    [Fact]
    public async Task PublishAsync_TwoVersionsWithIdenticalFiles_TwoRecordsSharingFiles()
    {
        var v1 = await PublishAsync(DatasetFolders.Make(_dir, "a"), "v1");
        _clock.Advance(TimeSpan.FromMinutes(1));
        var v2 = await PublishAsync(DatasetFolders.Make(_dir, "b"), "v2");

        var listed = await _publisher.ListAsync("arith");

        Assert.Equal(["v1", "v2"], listed.Select(d => d.Version));
        Assert.NotEqual(v1.Dataset.RecordDigest, v2.Dataset.RecordDigest);
        Assert.Equal(v1.Dataset.FilesDigest, v2.Dataset.FilesDigest);
        Assert.False(v2.AlreadyPublished);
    }

    [Theory]
    [InlineData("", "v1", "dataset")]
    [InlineData("arith/x", "v1", "dataset")]
    [InlineData("arith", "v 1", "version")]
    [InlineData("arith", "", "version")]
    public async Task PublishAsync_BadName_ThrowsArgumentExceptionNamingField(string dataset, string version, string field)
    {
        var folder = DatasetFolders.Make(_dir, "src");

        var e = await Assert.ThrowsAsync<ArgumentException>(() => PublishAsync(folder, version, dataset));

        Assert.Equal(field, e.ParamName);
        Assert.StartsWith(field, e.Message);
        Assert.Contains("[A-Za-z0-9._-]", e.Message);
    }

    [Fact]
    public async Task PublishAsync_NameOver100Chars_ThrowsArgumentException()
    {
        var e = await Assert.ThrowsAsync<ArgumentException>(() => PublishAsync(DatasetFolders.Make(_dir, "src"), new string('v', 101)));

        Assert.Equal("version", e.ParamName);
        Assert.Contains("at most 100", e.Message);
    }

    [Fact]
    public async Task PublishAsync_MissingFolder_ThrowsDirectoryNotFoundNamingIt()
    {
        var missing = Path.Combine(_dir, "nope");

        var e = await Assert.ThrowsAsync<DirectoryNotFoundException>(() => PublishAsync(missing));

        Assert.Contains(missing, e.Message);
        Assert.Empty(await _outbox.PendingAsync(10));
    }

    [Fact]
    public async Task ListAsync_DatasetFilter_ReturnsOnlyThatDatasetSortedByName()
    {
        var folder = DatasetFolders.Make(_dir, "src");
        await PublishAsync(folder, "v1", "zeta");
        await PublishAsync(folder, "v1", "alpha");
        await PublishAsync(folder, "v2", "alpha");

        Assert.Equal(["alpha@v1", "alpha@v2", "zeta@v1"], (await _publisher.ListAsync()).Select(d => $"{d.Dataset}@{d.Version}"));
        Assert.Equal(["v1", "v2"], (await _publisher.ListAsync("alpha")).Select(d => d.Version));
        Assert.Null(await _publisher.FindAsync("alpha", "v3"));
        Assert.Equal("v2", (await _publisher.FindAsync("alpha", "v2"))!.Version);
    }

    [Fact]
    public async Task ListAsync_OtherDatasetKindArtifact_IsIgnored()
    {
        await _store.PutAsync(new MemoryStream("raw rows"u8.ToArray()), new ArtifactMetadata(ArtifactKinds.Dataset, "raw", T0));

        Assert.Empty(await _publisher.ListAsync());
    }

    [Fact]
    public async Task ListAsync_UnparsableRecord_ThrowsInvalidDataNamingDigest()
    {
        var meta = new ArtifactMetadata(ArtifactKinds.Dataset, "arith@v9", T0,
            Properties: new Dictionary<string, string> { ["content-type"] = "application/vnd.pipeline.dataset-version+json" });
        var bad = await _store.PutAsync(new MemoryStream("""{"format":"pipeline-dataset-version/v1","dataset":"arith"}"""u8.ToArray()), meta);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => _publisher.ListAsync());

        Assert.Contains(bad.Digest, e.Message);
        Assert.Contains("version", e.Message);
    }
}
