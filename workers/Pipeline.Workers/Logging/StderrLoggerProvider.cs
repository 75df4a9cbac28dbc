using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pipeline.Workers.Logging;

/// <summary>Plain log lines on stderr, <c>HH:mm:ss.fff LEVEL category: message</c>, so stdout stays free for a
/// command's output. Written here because Microsoft.Extensions.Logging.Console is not in the package mirror;
/// infra/ will bring Serilog for the long-running processes.</summary>
public sealed class StderrLoggerProvider(LogLevel minimumLevel = LogLevel.Information) : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, StderrLogger> _loggers = new();

    /// <summary>Serialises writes from every logger, so lines from concurrent workers never interleave.</summary>
    internal object WriteLock { get; } = new();

    internal LogLevel MinimumLevel { get; } = minimumLevel;

    public ILogger CreateLogger(string categoryName) => _loggers.GetOrAdd(categoryName, c => new StderrLogger(c, this));

    public void Dispose() => _loggers.Clear();
}
