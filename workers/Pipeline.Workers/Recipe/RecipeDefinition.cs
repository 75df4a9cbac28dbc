using Pipeline.Workflows.Contracts;

namespace Pipeline.Workers.Recipe;

/// <summary>The recipe configuration a process starts runs with, loaded once at start from <c>Pipeline:Recipe:File</c>
/// (or the defaults) so a bad file stops the process at once instead of failing the first event.</summary>
public sealed record RecipeDefinition(RecipeConfig Config, string Source);
