using Microsoft.Extensions.Logging;

namespace Pipeline.Workers.Logging;

/// <summary>One category's logger; see <see cref="StderrLoggerProvider"/>.</summary>
internal sealed class StderrLogger(string category, StderrLoggerProvider provider) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.MinimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var line = $"{DateTime.Now:HH:mm:ss.fff} {Level(logLevel)} {category}: {formatter(state, exception)}";
        if (exception is not null) line += Environment.NewLine + exception;
        lock (provider.WriteLock) Console.Error.WriteLine(line);
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE",
        LogLevel.Debug => "DEBUG",
        LogLevel.Information => "INFO ",
        LogLevel.Warning => "WARN ",
        LogLevel.Error => "ERROR",
        _ => "CRIT ",
    };
}
