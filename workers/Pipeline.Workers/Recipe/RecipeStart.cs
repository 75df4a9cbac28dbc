namespace Pipeline.Workers.Recipe;

/// <summary>What starting the recipe for a dataset version did: <see cref="Created"/> a run, found one already
/// running (a redelivered event), or found one that already ended (<see cref="AlreadyRan"/>: nothing new starts).</summary>
public sealed record RecipeStart(string WorkflowId, string? RunId, bool Created, bool AlreadyRan);
