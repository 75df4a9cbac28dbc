using System.CommandLine;
using System.Net.Sockets;
using Npgsql;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Bus;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Tracking;
using Pipeline.Workers.Hosting;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline config check [--connect]`: validates every part of the configuration (exit 2 with every problem
/// listed), prints what each component will use, and with --connect reaches each service (exit 1 if one fails).</summary>
public static class ConfigCheckCommand
{
    public static Command Create()
    {
        var connect = new Option<bool>("--connect") { Description = "Also reach each configured service (store, S3, MLflow, RabbitMQ, Seq)" };
        var cmd = new Command("check", "Validate the configuration for every component; exit 0 ok, 1 a service is unreachable (--connect), 2 invalid") { connect };
        cmd.SetAction(async (p, ct) =>
        {
            var config = CliConfig.Load(p, PipelineComponents.All);
            var s = config.Settings;
            var store = CliOptions.ParseStore(config);
            var lines = new List<(string Component, string Uses, Func<CancellationToken, Task>? Probe)>
            {
                ("profile", s.Profile.ToString().ToLowerInvariant(), null),
                ("store", PipelineSettingsValidator.Redact(s.Store), ct2 => ProbeStore(store, ct2)),
                ("artifacts", s.Artifacts.Store == ArtifactStoreKind.S3 ? $"S3 {s.S3.ServiceUrl} bucket {s.S3.Bucket}" : $"local {Path.GetFullPath(s.Artifacts.Root)}",
                    ct2 => ProbeArtifacts(s, ct2)),
                ("tracking", s.Tracking.Store == TrackingStoreKind.Mlflow ? $"MLflow {s.Mlflow!.TrackingUri}" : "embedded, in the store's database",
                    s.Tracking.Store == TrackingStoreKind.Mlflow ? ct2 => ProbeMlflow(s, ct2) : null),
                ("bus", s.Bus.Transport == BusTransport.RabbitMq ? $"RabbitMQ {s.Bus.Host}:{s.Bus.Port}{s.Bus.VirtualHost}" : "in-memory (one process)",
                    s.Bus.Transport == BusTransport.RabbitMq ? ct2 => ProbeTcp(s.Bus.Host, s.Bus.Port, ct2) : null),
                ("outbox", s.Bus.OutboxPath is { } outbox ? Path.GetFullPath(outbox) : "none", null),
                ("logs", string.Join(", ", new[] { s.Logging.Console ? "console" : null, string.IsNullOrEmpty(s.Logging.FilePath) ? null : Path.GetFullPath(s.Logging.FilePath),
                    string.IsNullOrEmpty(s.Logging.SeqUrl) ? null : $"Seq {s.Logging.SeqUrl}" }.OfType<string>()),
                    string.IsNullOrEmpty(s.Logging.SeqUrl) ? null : ct2 => ProbeSeq(s.Logging.SeqUrl!, ct2)),
            };
            var failed = false;
            foreach (var (component, uses, probe) in lines)
            {
                var result = "";
                if (p.GetValue(connect) && probe is not null)
                {
                    try
                    {
                        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                        timeout.CancelAfter(TimeSpan.FromSeconds(10));
                        await probe(timeout.Token);
                        result = "  [reachable]";
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                    {
                        failed = true;
                        result = $"  [FAILED: {e.GetBaseException().Message}]";
                    }
                }
                Console.Out.WriteLine($"{component,-10} {uses}{result}");
            }
            Console.Error.WriteLine(failed ? "pipeline: a configured service is unreachable" : "configuration is valid");
            return failed ? ExitCodes.Failed : ExitCodes.Ok;
        });
        return cmd;
    }

    private static async Task ProbeStore(StoreUri store, CancellationToken ct)
    {
        if (store.SqlitePath is { } path)
        {
            // A missing file or folder is created on first use: what matters is that it can be, so write where it will go.
            var dir = Path.GetDirectoryName(path)!;
            while (!Directory.Exists(dir)) dir = Path.GetDirectoryName(dir)!;
            var probe = Path.Combine(dir, $".pipeline-check-{Environment.ProcessId}");
            await File.WriteAllTextAsync(probe, "", ct);
            File.Delete(probe);
            return;
        }
        await using var conn = new NpgsqlConnection(store.PostgresConnectionString);
        await conn.OpenAsync(ct);
        await using var cmd = new NpgsqlCommand("SELECT 1", conn);
        await cmd.ExecuteScalarAsync(ct);
    }

    private static async Task ProbeArtifacts(PipelineSettings s, CancellationToken ct)
    {
        if (s.Artifacts.Store == ArtifactStoreKind.Local) return;
        using var store = ArtifactStores.Open(s);
        // Listing proves the endpoint answers, the credentials sign and the bucket exists (a HEAD of a missing key would not).
        await foreach (var _ in store.Store.ListAsync(ct: ct)) break;
    }

    private static async Task ProbeMlflow(PipelineSettings s, CancellationToken ct)
    {
        using var http = new HttpClient();
        var tracking = new MlflowTrackingStore(http, s.Mlflow! with { MaxRetries = 0 });
        await tracking.GetExperimentByNameAsync(s.Tracking.Experiment, ct);
    }

    private static async Task ProbeTcp(string host, int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, port, ct);
    }

    private static async Task ProbeSeq(string url, CancellationToken ct)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri(new Uri(url), "api"), ct);
        if ((int)response.StatusCode >= 500) throw new HttpRequestException($"Seq answered {(int)response.StatusCode}");
    }
}
