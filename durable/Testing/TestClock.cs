namespace Pipeline.Durable.Testing;

/// <summary>A clock that moves only when told to (or when the time-skipping environment skips ahead).</summary>
public sealed class TestClock(DateTimeOffset start) : IClock
{
    private long _ticks = start.UtcTicks;

    public DateTimeOffset UtcNow => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    /// <summary>Moves forward to <paramref name="to"/> (never backward).</summary>
    public void AdvanceTo(DateTimeOffset to)
    {
        long current;
        do
        {
            current = Interlocked.Read(ref _ticks);
            if (to.UtcTicks <= current) return;
        } while (Interlocked.CompareExchange(ref _ticks, to.UtcTicks, current) != current);
    }

    public void Advance(TimeSpan by) => AdvanceTo(UtcNow + by);
}
