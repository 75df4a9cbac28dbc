using Pipeline.ML.Optim;

namespace Pipeline.ML.Training;

/// <summary>What <see cref="TrainerCheckpoint"/> saves and restores of a trainer: the model's trainable weights (in the
/// layout <see cref="CheckpointWeights"/> gives its kind of model), the optimizer's moments, and the loop's state.</summary>
internal interface ICheckpointedTrainer
{
    AdamW Optimizer { get; }

    /// <summary>Writes the trained weights into the (new, empty) checkpoint directory <paramref name="dir"/>.</summary>
    void SaveWeights(string dir);

    /// <summary>Copies the weights of checkpoint <paramref name="dir"/> into the live parameters the optimizer holds.</summary>
    void LoadWeights(string dir);

    TrainerStateSnapshot Snapshot();

    void Restore(TrainerStateSnapshot snapshot);
}
