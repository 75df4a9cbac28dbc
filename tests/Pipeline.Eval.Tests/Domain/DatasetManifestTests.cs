using System.Security.Cryptography;
using Pipeline.Eval.Domain;
using Pipeline.ML.IO;

namespace Pipeline.Eval.Tests.Domain;

/// <summary>manifest.json: it describes the files truly, Verify finds every change, and Load explains a bad file.</summary>
public sealed class DatasetManifestTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("demo-manifest-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string ManifestPath => Path.Combine(_dir, DatasetManifest.FileName);

    [Fact]
    public void Manifest_RowsBytesSha256_MatchTheWrittenFiles()
    {
        DemoData.V1.WriteTo(_dir);
        var manifest = DatasetManifest.Load(ManifestPath);

        Assert.Equal(11, manifest.Files.Count);
        foreach (var f in manifest.Files)
        {
            var bytes = File.ReadAllBytes(Path.Combine(_dir, f.Path));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), f.Sha256);
            Assert.Equal(bytes.Length, f.Bytes);
            Assert.Equal(File.ReadAllLines(Path.Combine(_dir, f.Path)).Length, f.Rows);
        }
        Assert.Empty(manifest.Verify(_dir));
    }

    [Fact]
    public void Load_WrittenManifest_RoundTripsToTheSameBytes()
    {
        DemoData.V1.WriteTo(_dir);

        Assert.Equal(File.ReadAllBytes(ManifestPath), DatasetManifest.Load(ManifestPath).ToJsonBytes());
    }

    [Fact]
    public void Verify_ModifiedFile_ReportsExpectedAndFoundSha256()
    {
        DemoData.V1.WriteTo(_dir);
        var path = Path.Combine(_dir, "eval", "ood.jsonl");
        var bytes = File.ReadAllBytes(path);
        bytes[10] ^= 1;
        File.WriteAllBytes(path, bytes);

        var problems = DatasetManifest.Load(ManifestPath).Verify(_dir);

        var expected = DemoData.V1.Manifest.Entry("eval/ood.jsonl").Sha256;
        Assert.Equal([$"eval/ood.jsonl: expected sha256 {expected}, found {Convert.ToHexStringLower(SHA256.HashData(bytes))}"], problems);
    }

    [Fact]
    public void Verify_TruncatedAndMissingFiles_ReportsEveryMismatch()
    {
        DemoData.V1.WriteTo(_dir);
        var sft = DemoData.V1.Manifest.Entry("sft/train.jsonl");
        File.WriteAllLines(Path.Combine(_dir, "sft", "train.jsonl"), DemoData.Lines(DemoData.V1, "sft/train.jsonl")[..10]);
        File.Delete(Path.Combine(_dir, "eval", "golden.jsonl"));

        var problems = DatasetManifest.Load(ManifestPath).Verify(_dir);

        Assert.Equal(4, problems.Count);
        Assert.Contains($"sft/train.jsonl: expected {sft.Rows} rows, found 10", problems);
        Assert.Contains(problems, p => p.StartsWith($"sft/train.jsonl: expected {sft.Bytes} bytes, found ", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith($"sft/train.jsonl: expected sha256 {sft.Sha256}, found ", StringComparison.Ordinal));
        Assert.Contains("eval/golden.jsonl: missing", problems);
    }

    [Fact]
    public void Load_BadJson_ErrorNamesTheFile()
    {
        File.WriteAllText(ManifestPath, "{\"dataset\": ");

        var e = Assert.Throws<DataFormatException>(() => DatasetManifest.Load(ManifestPath));

        Assert.StartsWith($"{ManifestPath}: not valid JSON", e.Message);
    }

    [Theory]
    [InlineData("\"sha256\"", "\"sha\"", "field 'files[0].sha256' is missing")]
    [InlineData("\"role\": \"pretrain\"", "\"role\": \"training\"", "field 'files[0].role' expected one of \"pretrain\", \"sft\", \"prompts\", \"eval\", found \"training\"")]
    [InlineData("\"seed\": 1234", "\"seed\": \"1234\"", "field 'seed' expected number, found string")]
    [InlineData("\"version\": \"v1\",", "", "field 'version' is missing")]
    public void Load_BadField_ErrorNamesFileAndField(string find, string replace, string expected)
    {
        DemoData.V1.WriteTo(_dir);
        File.WriteAllText(ManifestPath, File.ReadAllText(ManifestPath).Replace(find, replace, StringComparison.Ordinal));

        var e = Assert.Throws<DataFormatException>(() => DatasetManifest.Load(ManifestPath));

        Assert.Equal($"{ManifestPath}: {expected}", e.Message);
    }
}
