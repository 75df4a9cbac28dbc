using Pipeline.Durable;

namespace Pipeline.Workers.Bench;

public sealed class BenchActivities
{
    [Activity]
    public Task<int> StepAsync(int i) => Task.FromResult(i);
}
