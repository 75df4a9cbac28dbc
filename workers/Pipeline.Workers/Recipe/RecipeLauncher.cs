using Microsoft.Extensions.Logging;
using Pipeline.Durable;
using Pipeline.Durable.Client;
using Pipeline.Infra.Artifacts;
using Pipeline.Infra.Configuration;
using Pipeline.Infra.Datasets;
using Pipeline.Workers.Cli;
using Pipeline.Workflows.Contracts;
using Pipeline.Workflows.PostTraining;

namespace Pipeline.Workers.Recipe;

/// <summary>
/// Starts the post-training recipe for a published dataset version: workflow id <c>post-train/{dataset}@{version}</c>,
/// id reuse RejectDuplicate and conflict UseExisting, so the event consumer, a redelivery and <c>pipeline run</c> all
/// land on the same single run. Verifies the version is in the artifact store first (the workflow carries its digest).
/// </summary>
public sealed class RecipeLauncher(WorkflowClient client, IArtifactStore store, RecipeSettings settings, ILogger<RecipeLauncher> logger)
{
    public async Task<RecipeStart> StartAsync(string dataset, string version, RecipeConfig recipe, CancellationToken ct)
    {
        var published = await new DatasetCatalog(store).FindAsync(dataset, version, ct)
            ?? throw new UsageException($"{dataset}@{version} is not published in this artifact store; publish it first (`pipeline dataset publish DIR`)");
        var input = new PostTrainingInput(new DatasetVersionRef(dataset, version, published.FilesDigest), settings.ModelName, settings.BaseModel, recipe);
        var id = PostTrainingInput.WorkflowIdFor(dataset, version);
        var options = new WorkflowOptions
        {
            Id = id, TaskQueue = settings.WorkflowQueue, IdReusePolicy = IdReusePolicy.RejectDuplicate, IdConflictPolicy = IdConflictPolicy.UseExisting,
            Memo = new Dictionary<string, string> { ["dataset"] = $"{dataset}@{version}", ["model"] = settings.ModelName },
        };
        try
        {
            var handle = await client.StartWorkflowAsync((PostTrainingWorkflow w) => w.RunAsync(input), options);
            logger.LogInformation(handle.Created ? "Started {WorkflowId} (run {RunId}) for {Dataset}@{Version}" : "{WorkflowId} is already running (run {RunId}): nothing new started for {Dataset}@{Version}",
                id, handle.RunId, dataset, version);
            return new RecipeStart(id, handle.RunId, handle.Created, AlreadyRan: false);
        }
        catch (WorkflowAlreadyStartedException e)
        {
            logger.LogInformation("{WorkflowId} already ran for {Dataset}@{Version}: nothing new started ({Reason})", id, dataset, version, e.Message);
            return new RecipeStart(id, null, Created: false, AlreadyRan: true);
        }
    }
}
