using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Pipeline.Durable.Tests.Support;

/// <summary>A logger factory for workers that keeps what they log at Warning and above, so a test can assert that
/// nothing went wrong quietly (a poll loop that threw, a report that failed) while the results still came out right.</summary>
public sealed class LogCollector : ILoggerFactory
{
    private readonly ConcurrentQueue<string> _problems = new();

    public IReadOnlyCollection<string> Problems => _problems;

    public ILogger CreateLogger(string categoryName) => new Collecting(_problems);

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }

    private sealed class Collecting(ConcurrentQueue<string> problems) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) problems.Enqueue($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
