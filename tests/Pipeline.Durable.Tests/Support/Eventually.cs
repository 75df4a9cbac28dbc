using System.Diagnostics;

namespace Pipeline.Durable.Tests.Support;

/// <summary>Bounded waiting for things a test cannot await directly (a real worker reaching a state).</summary>
public static class Eventually
{
    /// <summary>How long a test waits for a result before it fails instead of hanging the suite.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails naming <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout) Assert.Fail($"Gave up after {timeout.TotalSeconds:F0} s waiting for: {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(10));
        }
    }

    public static Task TrueAsync(Func<Task<bool>> condition, string what) => TrueAsync(condition, Patience, what);
}
