using Microsoft.Extensions.Logging;

namespace Pipeline.Activities.Support;

/// <summary>The activities' structured log lines (the engine's scope adds WorkflowId, RunId, Activity and Attempt).</summary>
public static partial class ActivityLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "{Stage}: resuming from the checkpoint at step {Step} (attempt {Attempt})")]
    public static partial void LogResume(this ILogger logger, string stage, long step, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stage}: step {Step}/{MaxSteps} loss {Loss:0.0000} {TokensPerSecond:0} tok/s ETA {Eta}")]
    public static partial void LogProgress(this ILogger logger, string stage, long step, long maxSteps, double loss, double tokensPerSecond, TimeSpan eta);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Stage}: {What}")]
    public static partial void LogStage(this ILogger logger, string stage, string what);
}
