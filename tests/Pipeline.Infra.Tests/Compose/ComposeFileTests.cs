using System.Diagnostics;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Configuration;
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
    public void Config_PipelineServices_BindToAValidServerConfiguration()
    {
        foreach (var name in (string[])["pipeline-server", "worker-cpu", "worker-gpu"])
        {
            var env = Assert.IsType<YamlMappingNode>(At(Services().Children[new YamlScalarNode(name)], "environment"));
            var variables = env.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value);

            // The same binding and validation `pipeline server` runs at start: every variable is a known setting, and
            // the server profile finds everything it requires.
            var root = PipelineConfiguration.Build(new ConfigurationInputs { WorkingDirectory = Path.GetTempPath(), Environment = variables });
            var settings = PipelineConfiguration.Load(root, PipelineComponents.All);

            Assert.Equal(PipelineProfile.Server, settings.Profile);
            Assert.StartsWith("postgres://", settings.Store);
            Assert.Equal((ArtifactStoreKind.S3, "http://minio:9000"), (settings.Artifacts.Store, settings.S3.ServiceUrl));
            Assert.Equal((TrackingStoreKind.Mlflow, new Uri("http://mlflow:5000/")), (settings.Tracking.Store, settings.Mlflow!.TrackingUri));
            Assert.Equal((BusTransport.RabbitMq, "rabbitmq"), (settings.Bus.Transport, settings.Bus.Host));
            Assert.Equal("http://seq:5341", settings.Logging.SeqUrl);
        }
    }
}
