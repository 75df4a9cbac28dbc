namespace Pipeline.Infra.Configuration;

/// <summary>One thing wrong with the configuration: the key, what is wrong, and where the value came from.</summary>
public sealed record ConfigurationProblem(string Key, string Message, string? Origin = null)
{
    public override string ToString() =>
        Origin is null ? $"{Key}: {Message}" : $"{Key} (from {Origin}): {Message}";
}
