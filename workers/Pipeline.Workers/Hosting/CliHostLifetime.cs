using Microsoft.Extensions.Hosting;

namespace Pipeline.Workers.Hosting;

/// <summary>Takes the generic host's place in signal handling: <see cref="ShutdownSignal"/> owns SIGINT/SIGTERM (first one
/// graceful, second one immediate), which the default ConsoleLifetime would swallow every time.</summary>
public sealed class CliHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
