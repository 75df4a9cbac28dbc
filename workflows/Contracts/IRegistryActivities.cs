using Pipeline.Durable;

namespace Pipeline.Workflows.Contracts;

/// <summary>The model registry: resolve, register, promote, roll back, and the run's completion event.</summary>
public interface IRegistryActivities
{
    [Activity]
    Task<ResolvedModels> ResolveModelsAsync(ResolveModelsRequest request);

    [Activity]
    Task<RegisterResult> RegisterAsync(RegisterRequest request);

    [Activity]
    Task<ModelRef> RegisterBaseAsync(RegisterBaseRequest request);

    /// <summary>Moves <c>champion</c> to the challenger, removes <c>challenger</c>, publishes <c>ModelPromoted</c>.</summary>
    [Activity]
    Task PromoteAsync(AliasRequest request);

    /// <summary>Removes <c>challenger</c> (the champion stays), publishes <c>ModelRolledBack</c>.</summary>
    [Activity]
    Task RollBackAsync(AliasRequest request);

    /// <summary>Publishes <c>PostTrainingCompleted</c>.</summary>
    [Activity]
    Task PublishCompletionAsync(CompletionNotice notice);
}
