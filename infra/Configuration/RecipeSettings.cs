namespace Pipeline.Infra.Configuration;

/// <summary>The <c>Pipeline:Recipe</c> section: what a published dataset version starts (the post-training workflow)
/// and with which configuration.</summary>
public sealed record RecipeSettings
{
    /// <summary>A JSON file with the recipe's hyperparameters, gates and rollout (the workflow's <c>RecipeConfig</c>:
    /// <c>Sft</c>, <c>Preference</c>, <c>Eval</c>, <c>Rollout</c>, <c>Pretrain</c>, …); unset keys keep their defaults.
    /// Default: none, every default (workflows/README.md lists them).</summary>
    public string File { get; init; } = "";

    /// <summary>The registered model the recipe improves (its <c>champion</c> is the baseline). Default <c>arith-demo</c>.</summary>
    public string ModelName { get; init; } = "arith-demo";

    /// <summary>The base model SFT starts from, <c>NAME@ALIAS</c> or <c>NAME/VERSION</c>; when it is not registered and the
    /// recipe has a <c>Pretrain</c> section, a child workflow pretrains and registers it first. Default <c>arith-demo-base@pretrained</c>.</summary>
    public string BaseModel { get; init; } = "arith-demo-base@pretrained";

    /// <summary>Start the recipe when a <c>DatasetVersionPublished</c> event arrives (server and demo). Default true.</summary>
    public bool StartOnPublish { get; init; } = true;

    /// <summary>The task queue of the recipe's workflows and their registry and rollout steps. Default <c>default</c>.</summary>
    public string WorkflowQueue { get; init; } = "default";

    /// <summary>Where a worker keeps its caches (models, datasets) and training scratch folders. Default <c>{DataDir}/work</c>.</summary>
    public string Workspace { get; init; } = "";

    /// <summary>The workspace folder: <see cref="Workspace"/>, or <c>work</c> under <paramref name="dataDir"/>.</summary>
    public string WorkspaceOr(string dataDir) => Workspace is { Length: > 0 } w ? w : Path.Combine(dataDir, "work");
}
