namespace Pipeline.Infra.Configuration;

/// <summary>What <see cref="PipelineConfiguration.Build"/> reads, lowest precedence first: the profile's defaults,
/// <c>appsettings.json</c> and <c>appsettings.{profile}.json</c> in <see cref="WorkingDirectory"/>, <see cref="ConfigFile"/>,
/// the environment, then <see cref="CommandLine"/>.</summary>
public sealed record ConfigurationInputs
{
    /// <summary>Where appsettings.json is looked for and relative paths start. Default: the current directory.</summary>
    public string WorkingDirectory { get; init; } = System.Environment.CurrentDirectory;

    /// <summary>An extra JSON file (<c>--config FILE</c>); unlike appsettings.json it must exist.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Environment variables; null reads the process's. Only <c>PIPELINE__*</c>, <c>PIPELINE_STORE</c> and
    /// <c>PIPELINE_PROFILE</c> are used.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>Settings from flags, as (full key, value, the flag that set it), in order; later ones win.</summary>
    public IReadOnlyList<(string Key, string Value, string Flag)> CommandLine { get; init; } = [];
}
