namespace Pipeline.ML.Training;

/// <summary>Everything besides weights and optimizer moments that an exact resume needs (trainer_state.json).</summary>
internal sealed record TrainerStateSnapshot(long Step, long TokensSeen, ulong[] DropoutRng, SamplerState Sampler, List<TrainingLog> History);
