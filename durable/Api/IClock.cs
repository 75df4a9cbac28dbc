namespace Pipeline.Durable;

/// <summary>The engine's notion of now. Real in production; a fake one in the time-skipping test environment.</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }
}

/// <summary>The machine's clock.</summary>
public sealed class SystemClock : IClock
{
    public static SystemClock Instance { get; } = new();

    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
}
