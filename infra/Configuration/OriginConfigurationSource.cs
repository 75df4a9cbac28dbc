using Microsoft.Extensions.Configuration;

namespace Pipeline.Infra.Configuration;

/// <summary>
/// In-memory settings that remember where each came from ("environment variable PIPELINE__S3__BUCKET",
/// "--set", "server profile default"), so that an error or <c>pipeline config show</c> can point at the place to fix.
/// </summary>
public sealed class OriginConfigurationSource(string name) : IConfigurationSource
{
    private readonly Dictionary<string, (string? Value, string Origin)> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>What this layer is, e.g. "environment".</summary>
    public string Name { get; } = name;

    public bool IsEmpty => _values.Count == 0;

    /// <summary>Adds or replaces <paramref name="key"/>; the last one set wins, as in any configuration layer.</summary>
    public OriginConfigurationSource Set(string key, string? value, string origin)
    {
        _values[key] = (value, origin);
        return this;
    }

    public string? OriginOf(string key) => _values.TryGetValue(key, out var v) ? v.Origin : null;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new Provider(this);

    private sealed class Provider(OriginConfigurationSource source) : ConfigurationProvider
    {
        public OriginConfigurationSource Source { get; } = source;

        public override void Load() =>
            Data = Source._values.ToDictionary(kv => kv.Key, kv => kv.Value.Value, StringComparer.OrdinalIgnoreCase);

        public override string ToString() => Source.Name;
    }

    /// <summary>The origin of <paramref name="key"/> in <paramref name="provider"/>, for any provider type.</summary>
    public static string Describe(IConfigurationProvider provider, string key) => provider switch
    {
        Provider p => p.Source.OriginOf(key) ?? p.Source.Name,
        FileConfigurationProvider f => f.Source.FileProvider?.GetFileInfo(f.Source.Path ?? "").PhysicalPath ?? f.Source.Path ?? "a file",
        _ => provider.ToString() ?? provider.GetType().Name,
    };
}
