using Pipeline.Durable;
using Pipeline.Workflows.Contracts;

namespace Pipeline.Workflows.PostTraining;

/// <summary>Timeouts and retry policies of the recipe's activities, in one place. Training heartbeats after each
/// checkpoint, so a lost worker is noticed after <see cref="RecipeConfig.TrainingHeartbeatTimeout"/> and the retry
/// resumes from the checkpoint it heartbeated. Bad input (a malformed dataset, an unknown policy) is non-retryable.</summary>
internal static class RecipeActivityOptions
{
    /// <summary>Error types that no retry can fix.</summary>
    public static readonly string[] NonRetryable = ["InvalidInput", "GateUndecidable"];

    public static ActivityOptions Training(RecipeConfig recipe, CancellationToken token) => new()
    {
        TaskQueue = recipe.TrainingQueue,
        StartToCloseTimeout = TimeSpan.FromHours(6),
        HeartbeatTimeout = recipe.TrainingHeartbeatTimeout,
        RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromSeconds(2), MaximumInterval = TimeSpan.FromMinutes(1), MaximumAttempts = 5, NonRetryableErrorTypes = NonRetryable },
        CancellationToken = token,
    };

    public static ActivityOptions Eval(RecipeConfig recipe, CancellationToken token) => new()
    {
        TaskQueue = recipe.EvalQueue,
        StartToCloseTimeout = TimeSpan.FromHours(1),
        HeartbeatTimeout = recipe.TrainingHeartbeatTimeout,
        RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromSeconds(2), MaximumInterval = TimeSpan.FromMinutes(1), MaximumAttempts = 3, NonRetryableErrorTypes = NonRetryable },
        CancellationToken = token,
    };

    /// <summary>Registry and serving calls: short, idempotent, retried patiently (a registry or server restart is brief).</summary>
    public static ActivityOptions Control(CancellationToken token) => new()
    {
        StartToCloseTimeout = TimeSpan.FromMinutes(2),
        RetryPolicy = new RetryPolicy { InitialInterval = TimeSpan.FromSeconds(1), MaximumInterval = TimeSpan.FromSeconds(30), MaximumAttempts = 20, NonRetryableErrorTypes = NonRetryable },
        CancellationToken = token,
    };

    /// <summary>The demo's traffic simulator: as long as the window it fills.</summary>
    public static ActivityOptions Simulation(RolloutConfig rollout, CancellationToken token) => new()
    {
        StartToCloseTimeout = rollout.MaxDuration + TimeSpan.FromMinutes(5),
        HeartbeatTimeout = TimeSpan.FromMinutes(2),
        RetryPolicy = new RetryPolicy { MaximumAttempts = 2, NonRetryableErrorTypes = NonRetryable },
        CancellationToken = token,
    };
}
