namespace Pipeline.Infra.Tests.Bus;

/// <summary>How many times a consumer was called (retries included).</summary>
public sealed class AttemptCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Increment() => Interlocked.Increment(ref _count);
}
