using System.Globalization;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Pipeline.Infra.Logging;

/// <summary>Builds the pipeline's Serilog logger: console, rolling CLEF file, and Seq when configured.</summary>
public static class PipelineLogging
{
    private const string ConsoleTemplate =
        "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    /// <summary>Validates <paramref name="options"/> and builds the logger; disposing it flushes every sink.</summary>
    public static Logger Create(LoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        LoggingOptions.TryParseLevel(options.MinimumLevel, out var minimum);

        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(minimum)
            .Enrich.FromLogContext();
        foreach (var (source, name) in options.Overrides)
        {
            LoggingOptions.TryParseLevel(name, out var level);
            configuration.MinimumLevel.Override(source, level);
        }

        if (options.Console)
        {
            configuration.WriteTo.Console(outputTemplate: ConsoleTemplate, formatProvider: CultureInfo.InvariantCulture,
                standardErrorFromLevel: LogEventLevel.Verbose);
        }
        if (!string.IsNullOrEmpty(options.FilePath))
        {
            configuration.WriteTo.File(new ClefFormatter(), options.FilePath, rollingInterval: RollingInterval.Day,
                retainedFileCountLimit: options.RetainedFileCount);
        }
        if (!string.IsNullOrEmpty(options.SeqUrl))
        {
            // The logger disposes the sink, which runs the sink's bounded final flush.
            configuration.WriteTo.Sink(new SeqSink(new SeqSinkOptions
            {
                ServerUrl = new Uri(options.SeqUrl),
                ApiKey = string.IsNullOrEmpty(options.SeqApiKey) ? null : options.SeqApiKey,
            }));
        }
        return configuration.CreateLogger();
    }

    /// <summary>Routes Microsoft.Extensions.Logging through the pipeline's Serilog logger, which decides the levels.</summary>
    public static ILoggingBuilder AddPipelineLogging(this ILoggingBuilder builder, LoggingOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var logger = Create(options);
        builder.ClearProviders();
        builder.SetMinimumLevel(LogLevel.Trace);
        builder.AddSerilog(logger, dispose: true);
        return builder;
    }
}
