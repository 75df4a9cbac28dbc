namespace Pipeline.Workers.Cli;

/// <summary>A mistake of the caller's: printed as one line (no stack trace), exit code 2.</summary>
public sealed class UsageException(string message, Exception? inner = null) : Exception(message, inner);
