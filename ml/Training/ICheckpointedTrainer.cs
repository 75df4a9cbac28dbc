using Pipeline.ML.Models;
using Pipeline.ML.Optim;

namespace Pipeline.ML.Training;

/// <summary>What <see cref="TrainerCheckpoint"/> saves and restores of a trainer: the model (its trainable weights),
/// the optimizer's moments, and the loop's state.</summary>
internal interface ICheckpointedTrainer
{
    LlamaModel Model { get; }

    AdamW Optimizer { get; }

    TrainerStateSnapshot Snapshot();

    void Restore(TrainerStateSnapshot snapshot);
}
