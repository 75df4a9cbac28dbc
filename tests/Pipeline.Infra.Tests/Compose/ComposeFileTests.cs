using System.Diagnostics;
using Pipeline.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Infra.Tests.Compose;

/// <summary>
/// The root docker-compose.yml, checked by docker-compose v1 itself (`config`), which resolves anchors,
/// merge keys and interpolation; the assertions then read its normalised output.
/// </summary>
public sealed class ComposeFileTests
{
    // `docker-compose config` is a Python start-up (~1-2 s); the normalised file is read once per run.
    private static readonly Lazy<(int ExitCode, string Stdout, string Stderr)> Normalised = new(() => Compose("config"));

    private static (int ExitCode, string Stdout, string Stderr) Compose(params string[] args)
    {
        var start = new ProcessStartInfo("docker-compose")
        {
            WorkingDirectory = RepoRoot.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["-f", "docker-compose.yml", .. args]) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("docker-compose is not installed: run `infra/services/install.sh compose`", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            Assert.True(process.WaitForExit(60_000), "docker-compose config did not finish within 60 s");
            return (process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    private static YamlMappingNode Services()
    {
        var (exit, stdout, stderr) = Normalised.Value;
        Assert.True(exit == 0, stderr);
        var yaml = new YamlStream();
        yaml.Load(new StringReader(stdout));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        return (YamlMappingNode)root.Children[new YamlScalarNode("services")];
    }

    private static YamlNode? At(YamlNode node, params string[] keys)
    {
        foreach (var key in keys)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next)) return null;
            node = next;
        }
        return node;
    }

    [Fact]
    public void Config_Quiet_ExitsZero()
    {
        var (exit, _, stderr) = Compose("config", "-q");
        Assert.True(exit == 0, $"docker-compose config -q failed: {stderr}");
    }

    [Fact]
    public void Config_Services_AreTheProductionTopology()
    {
        var names = Services().Children.Keys.Select(k => ((YamlScalarNode)k).Value!).Order().ToArray();
        Assert.Equal(["minio", "mlflow", "pipeline-server", "postgres", "rabbitmq", "seq", "worker-cpu", "worker-gpu"], names);
    }

    [Fact]
    public void Config_EveryService_HasAHealthcheck()
    {
        var missing = Services().Children
            .Where(s => At(s.Value, "healthcheck", "test") is null)
            .Select(s => ((YamlScalarNode)s.Key).Value)
            .ToList();
        Assert.True(missing.Count == 0, "no healthcheck: " + string.Join(", ", missing));
    }

    [Fact]
    public void Config_GpuWorker_ReservesAnNvidiaGpu()
    {
        var gpu = Services().Children[new YamlScalarNode("worker-gpu")];
        var devices = Assert.IsType<YamlSequenceNode>(At(gpu, "deploy", "resources", "reservations", "devices"));
        var device = Assert.Single(devices.Children);
        Assert.Equal("nvidia", ((YamlScalarNode)At(device, "driver")!).Value);
        var capabilities = Assert.IsType<YamlSequenceNode>(At(device, "capabilities"));
        Assert.Contains(capabilities.Children, c => ((YamlScalarNode)c).Value == "gpu");
        var command = Assert.IsType<YamlSequenceNode>(At(gpu, "command")).Children.Select(c => ((YamlScalarNode)c).Value!);
        Assert.Equal(["worker", "--queue", "gpu"], command);
    }

    [Fact]
    public void Config_PipelineServices_PointAtTheServices()
    {
        foreach (var name in (string[])["pipeline-server", "worker-cpu", "worker-gpu"])
        {
            var env = At(Services().Children[new YamlScalarNode(name)], "environment");
            string? Env(string key) => (At(env!, key) as YamlScalarNode)?.Value;
            Assert.Equal("server", Env("PIPELINE_PROFILE"));
            Assert.StartsWith("postgres://", Env("PIPELINE_STORE"));
            Assert.Equal("http://minio:9000", Env("PIPELINE__S3__ServiceUrl"));
            Assert.Equal("http://mlflow:5000", Env("PIPELINE__MLFLOW__Url"));
            Assert.Equal("http://seq:5341", Env("PIPELINE__SEQ__Url"));
        }
    }
}
