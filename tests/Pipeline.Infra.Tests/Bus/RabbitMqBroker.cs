using System.Diagnostics;
using Pipeline.Infra.Tests.Support;
using Pipeline.Tests.Shared;

namespace Pipeline.Infra.Tests.Bus;

/// <summary>
/// One throwaway RabbitMQ node for the whole test run (infra/services/rabbitmq.sh), on free loopback
/// ports, with the management API. Fails, never skips, when rabbitmq-server is not installed: CI runs
/// <c>infra/services/install.sh</c> first.
/// </summary>
public sealed class RabbitMqBroker : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pipeline-rmq-" + Guid.NewGuid().ToString("N")[..8]);

    public int Port { get; } = Ports.Free();

    public int ManagementPort { get; } = Ports.Free();

    public Task InitializeAsync() => StartAsync();

    public async Task DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>Starts the node; after <see cref="StopAsync"/> this is a restart that keeps durable queues.</summary>
    public Task StartAsync() => RunScriptAsync("start", _dir, Port.ToString(), ManagementPort.ToString());

    public Task StopAsync() => RunScriptAsync("stop", _dir);

    private static async Task RunScriptAsync(params string[] args)
    {
        var script = Path.Combine(RepoRoot.Path, "infra", "services", "rabbitmq.sh");
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(script);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        // If the test host dies before DisposeAsync, the script's reaper stops the node.
        psi.Environment["RABBITMQ_OWNER_PID"] = Environment.ProcessId.ToString();
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"rabbitmq.sh {string.Join(' ', args)} failed with exit code {process.ExitCode}:\n{await stderr}{await stdout}");
        }
    }
}
