using System.Collections.Concurrent;

namespace Pipeline.Infra.Tests.Bus;

/// <summary>What the test consumers saw, with a bounded wait instead of sleeps.</summary>
public sealed class ReceivedMessages
{
    private readonly ConcurrentQueue<(object Message, Guid? MessageId, IReadOnlyDictionary<string, object?> Headers)> _items = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyList<(object Message, Guid? MessageId, IReadOnlyDictionary<string, object?> Headers)> Items => _items.ToArray();

    public void Add(object message, Guid? messageId, IReadOnlyDictionary<string, object?> headers)
    {
        _items.Enqueue((message, messageId, headers));
        _arrived.Release();
    }

    /// <summary>Waits until at least <paramref name="count"/> items arrived; fails the test after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (_items.Count < count)
                await _arrived.WaitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"expected {count} message(s) within {timeout}, got {_items.Count}");
        }
    }
}
