namespace Pipeline.Infra.Tracking;

/// <summary>A named model in the registry; its versions are numbered 1, 2, … in creation order. <paramref name="Aliases"/>
/// maps each alias (champion, challenger, …) to the version it points at, as MLflow's <c>registered_model.aliases</c>.</summary>
public sealed record RegisteredModel(string Name, DateTimeOffset CreatedAt, IReadOnlyDictionary<string, int> Aliases);
