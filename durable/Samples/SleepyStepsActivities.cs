namespace Pipeline.Durable.Samples;

/// <summary>The smoke-test activity: sleeps while heartbeating how far it got, then appends "step i" to the log.
/// A retried attempt resumes from the last heartbeat instead of sleeping the whole time again.</summary>
public sealed class SleepyStepsActivities
{
    [Activity]
    public async Task<int> StepAsync(SleepyStepRequest request)
    {
        var ctx = ActivityExecutionContext.Current;
        var total = TimeSpan.FromSeconds(request.Seconds);
        var done = ctx.TryGetHeartbeatDetail<double>(0, out var slept) ? TimeSpan.FromSeconds(slept) : TimeSpan.Zero;
        var tick = TimeSpan.FromMilliseconds(Math.Clamp((ctx.Info.HeartbeatTimeout ?? TimeSpan.FromSeconds(2)).TotalMilliseconds / 4, 20, 1000));
        ctx.Heartbeat(done.TotalSeconds);
        while (done < total)
        {
            var step = total - done < tick ? total - done : tick;
            await Task.Delay(step, ctx.CancellationToken);
            done += step;
            ctx.Heartbeat(done.TotalSeconds);
        }
        await File.AppendAllTextAsync(request.LogFile, $"step {request.Index}\n", CancellationToken.None);
        return request.Index;
    }
}
