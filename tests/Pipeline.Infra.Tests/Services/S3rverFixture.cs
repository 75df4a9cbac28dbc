using System.Diagnostics;
using System.Net;
using Amazon.S3.Model;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Tests.Support;
using Pipeline.Tests.Shared;

namespace Pipeline.Infra.Tests.Services;

/// <summary>
/// One real s3rver per test run (infra/services/s3rver.sh) on a free port in a temp dir, stopped afterwards; it is
/// also tied to this process (S3RVER_OWNER_PID) so a killed test host does not leave it running. Fails loudly when
/// node or s3rver is missing: CI runs install.sh first, so a skip would hide a broken setup.
/// </summary>
public sealed class S3rverFixture : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("pipeline-s3rver-").FullName;
    private int _bucketCount;

    public int Port { get; private set; }

    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    private static string Script => RepoRoot.Combine("infra", "services", "s3rver.sh");

    public async Task InitializeAsync()
    {
        var entry = RepoRoot.Combine("infra", "services", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(entry))
        {
            throw new InvalidOperationException($"s3rver is not installed ({entry} is missing): run `infra/services/install.sh s3rver` before the tests.");
        }
        // The free port is free when probed; another process may take it before s3rver binds, so try a few.
        var (code, output) = (0, "");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Port = Ports.Free();
            (code, output) = await RunScriptAsync("start", _dir, Port.ToString());
            if (code == 0)
            {
                return;
            }
        }
        throw new InvalidOperationException($"s3rver.sh start failed (exit {code}); is node installed? Run `infra/services/install.sh s3rver`.\n{output}");
    }

    public async Task DisposeAsync()
    {
        await RunScriptAsync("stop", _dir);
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Options for a new, empty bucket (one per test class keeps classes independent).</summary>
    public async Task<S3ArtifactStoreOptions> CreateBucketAsync(string prefix = "")
    {
        var options = new S3ArtifactStoreOptions
        {
            ServiceUrl = ServiceUrl,
            Bucket = $"test-{Interlocked.Increment(ref _bucketCount)}",
            Prefix = prefix,
            AccessKey = "S3RVER",
            SecretKey = "S3RVER",
            MaxErrorRetry = 1,
        };
        using var client = PipelineS3Client.Create(options);
        await client.PutBucketAsync(new PutBucketRequest { BucketName = options.Bucket });
        return options;
    }

    /// <summary>The object exactly as the server stores it: a plain HTTP GET, no SDK in the way.</summary>
    public async Task<byte[]> GetRawAsync(string bucket, string key)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync($"{ServiceUrl}/{bucket}/{key}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static async Task<(int Code, string Output)> RunScriptAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Script);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }
        start.Environment["S3RVER_OWNER_PID"] = Environment.ProcessId.ToString();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }
}
