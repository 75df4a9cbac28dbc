using Microsoft.Extensions.Logging;
using Pipeline.Durable.Storage;

namespace Pipeline.Workers.Hosting;

/// <summary>A long-running process made of named services that share one store and one shutdown: today the
/// workers; later the event consumers, the serving API and the UI. If one service stops on its own (a crash),
/// the others are stopped too and the process exits non-zero, so a supervisor restarts the whole thing.</summary>
public sealed class PipelineHost(IWorkflowStore store, ILoggerFactory loggerFactory)
{
    private readonly List<(string Name, Func<CancellationToken, Task> Run)> _services = [];
    private readonly ILogger _logger = loggerFactory.CreateLogger("Pipeline.Host");

    public IWorkflowStore Store { get; } = store;

    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    public IReadOnlyList<string> Services => _services.Select(s => s.Name).ToList();

    /// <summary>Adds a service that runs until the token is cancelled.</summary>
    public PipelineHost AddService(string name, Func<CancellationToken, Task> run)
    {
        _services.Add((name, run));
        return this;
    }

    /// <summary>Runs every service until <paramref name="ct"/> is cancelled. Returns false if a service failed.</summary>
    public async Task<bool> RunAsync(CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var failed = 0;
        async Task RunOne(string name, Func<CancellationToken, Task> run)
        {
            try
            {
                await run(stop.Token);
                if (stop.IsCancellationRequested) return;
                _logger.LogError("Service {Service} stopped on its own; stopping the others", name);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                _logger.LogCritical(e, "Service {Service} crashed; stopping the others", name);
            }
            Interlocked.Exchange(ref failed, 1);
            await stop.CancelAsync();
        }
        _logger.LogInformation("Running {Services} on {Store}; Ctrl+C or SIGTERM stops gracefully",
            string.Join(", ", Services), Store.Description);
        await Task.WhenAll(_services.Select(s => Task.Run(() => RunOne(s.Name, s.Run), CancellationToken.None)));
        _logger.LogInformation("Stopped");
        return failed == 0;
    }
}
