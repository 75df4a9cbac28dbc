namespace Pipeline.Durable.Runtime;

/// <summary>Runs workflow code one continuation at a time, in the order they were queued, on the thread that
/// drives the replay. This is what makes an async workflow method deterministic: the same events delivered in the
/// same order always run the same continuations in the same order.</summary>
internal sealed class WorkflowTaskScheduler : TaskScheduler
{
    private readonly Queue<Task> _queue = new();

    public override int MaximumConcurrencyLevel => 1;

    protected override void QueueTask(Task task)
    {
        lock (_queue) _queue.Enqueue(task);
    }

    // Never inline: a continuation runs only when the driver drains the queue, in queue order.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    protected override IEnumerable<Task> GetScheduledTasks()
    {
        lock (_queue) return _queue.ToArray();
    }

    /// <summary>Runs queued work until nothing is left to run.</summary>
    public void RunUntilEmpty()
    {
        while (true)
        {
            Task? next;
            lock (_queue)
            {
                if (!_queue.TryDequeue(out next)) return;
            }
            TryExecuteTask(next);
        }
    }
}
