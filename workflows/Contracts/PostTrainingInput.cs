namespace Pipeline.Workflows.Contracts;

/// <summary>What starts the recipe: a dataset version, the registered model it improves, the base model SFT starts
/// from (a registry reference NAME@ALIAS or NAME/VERSION), and the recipe's configuration.</summary>
public sealed record PostTrainingInput(DatasetVersionRef Dataset, string ModelName, string BaseModel, RecipeConfig Recipe)
{
    /// <summary>The workflow id of the recipe for a dataset version: one run per version, whatever redelivers the event.</summary>
    public static string WorkflowIdFor(string dataset, string version) => $"post-train/{dataset}@{version}";
}
