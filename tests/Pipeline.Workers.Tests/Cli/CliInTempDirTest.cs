using System.Collections;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Pipeline.Workers.Tests.Ml;
using Pipeline.Workers.Tests.Support;

namespace Pipeline.Workers.Tests.Cli;

/// <summary>
/// The CLI as a user runs it in a project folder: the temporary directory is the working directory, so appsettings.json
/// is read from there and the default data folder (.pipeline) is created there, never in the repository or the test
/// binaries' folder. The child's environment has no PIPELINE_* variables of the test run unless a test sets them.
/// </summary>
public abstract class CliInTempDirTest(string prefix) : MlCliTest(prefix)
{
    protected Task<(int Code, string Output)> RunHereAsync(IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            var name = (string)e.Key;
            if (name.StartsWith("PIPELINE__", StringComparison.OrdinalIgnoreCase) || name is "PIPELINE_STORE" or "PIPELINE_PROFILE") env[name] = null;
        }
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>()) env[name] = value;
        return PipelineProcess.RunAsync(P("log-" + Guid.NewGuid().ToString("N")[..8] + ".txt"), Timeout, Dir, env, args);
    }

    protected Task<(int Code, string Output)> RunHereAsync(params string[] args) => RunHereAsync(null, args);

    protected async Task<string> RunHereOkAsync(params string[] args)
    {
        var (code, output) = await RunHereAsync(args);
        Assert.True(code == 0, $"pipeline {string.Join(' ', args)} exited {code}:\n{output}");
        return output;
    }

    /// <summary>The JSON array a `--json` verb printed (stderr lines around it are skipped).</summary>
    protected static JsonElement JsonArrayIn(string output)
    {
        var start = output.IndexOf('[', StringComparison.Ordinal);
        var end = output.LastIndexOf(']');
        Assert.True(start >= 0 && end > start, $"no JSON array in:\n{output}");
        return JsonElement.Parse(output[start..(end + 1)]);
    }

    /// <summary>A local TCP port nothing listens on (bound, then released).</summary>
    protected static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
