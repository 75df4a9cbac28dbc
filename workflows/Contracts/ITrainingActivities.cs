using Pipeline.Durable;

namespace Pipeline.Workflows.Contracts;

/// <summary>The training steps (queue <see cref="RecipeConfig.TrainingQueue"/>). Each heartbeats a
/// <see cref="TrainingCheckpointHeartbeat"/> after every checkpoint; a retried attempt resumes from the last one.</summary>
public interface ITrainingActivities
{
    [Activity]
    Task<TrainResult> SftAsync(SftRequest request);

    [Activity]
    Task<PreferenceSetResult> CollectPreferencesAsync(CollectPreferencesRequest request);

    [Activity]
    Task<TrainResult> PreferenceTrainAsync(PreferenceTrainRequest request);

    [Activity]
    Task<TrainResult> PretrainAsync(PretrainRequest request);
}
