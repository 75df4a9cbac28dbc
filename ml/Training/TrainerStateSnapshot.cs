namespace Pipeline.ML.Training;

/// <summary>
/// Everything besides weights and optimizer moments that an exact resume needs (trainer_state.json).
/// <see cref="RolloutRng"/> is the generator GRPO seeds its sampling from (null for trainers that do not sample).
/// </summary>
internal sealed record TrainerStateSnapshot(long Step, long TokensSeen, ulong[] DropoutRng, SamplerState Sampler, List<TrainingLog> History)
{
    public ulong[]? RolloutRng { get; init; }
}
