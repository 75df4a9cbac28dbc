using System.Collections;
using Microsoft.Extensions.Configuration;

namespace Pipeline.Infra.Configuration;

/// <summary>
/// Builds the pipeline's configuration from its layers and turns it into checked <see cref="PipelineSettings"/>.
/// Layers, lowest precedence first: the profile's defaults; <c>appsettings.json</c>; <c>appsettings.{profile}.json</c>;
/// <c>--config FILE</c>; environment variables (<c>PIPELINE__S3__BUCKET</c> sets <c>Pipeline:S3:Bucket</c>; the older
/// <c>PIPELINE_STORE</c> and <c>PIPELINE_PROFILE</c> still work); CLI flags.
/// </summary>
public static class PipelineConfiguration
{
    private const string EnvPrefix = "PIPELINE__";

    /// <summary>Reads every layer. Throws <see cref="PipelineConfigurationException"/> for a missing --config file or
    /// a JSON file that does not parse (naming the file and the line).</summary>
    public static IConfigurationRoot Build(ConfigurationInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var env = EnvironmentLayer(inputs.Environment ?? ProcessEnvironment());
        var cli = new OriginConfigurationSource("command line");
        foreach (var (key, value, flag) in inputs.CommandLine) cli.Set(key, value, flag);

        // The profile picks the defaults and the profile file, and any layer may set it: read it without them first.
        var first = BuildLayers(inputs, env, cli, profile: null, defaults: null);
        var profile = Enum.TryParse<PipelineProfile>(first[Key(nameof(PipelineSettings.Profile))], ignoreCase: true, out var p)
            ? p : PipelineProfile.Embedded;
        var dataDir = first[Key(nameof(PipelineSettings.DataDir))] is { Length: > 0 } d ? d : new PipelineSettings().DataDir;
        return BuildLayers(inputs, env, cli, profile, ProfileDefaults.For(profile, dataDir));
    }

    /// <summary>Checks every key and value under <c>Pipeline</c>, binds them, and validates the parts
    /// <paramref name="components"/> names. Throws <see cref="PipelineConfigurationException"/> listing every problem.</summary>
    public static PipelineSettings Load(IConfigurationRoot root, PipelineComponents components)
    {
        var problems = CheckKeys(root);
        if (problems.Count > 0) throw new PipelineConfigurationException(problems);
        var settings = root.GetSection(PipelineSettings.Section).Get<PipelineSettings>() ?? new PipelineSettings();
        problems = PipelineSettingsValidator.Problems(settings, components, key => OriginOf(root, key));
        if (problems.Count > 0) throw new PipelineConfigurationException(problems);
        return settings;
    }

    /// <summary>Unknown keys (with a suggestion) and values that do not convert to their setting's type.</summary>
    public static List<ConfigurationProblem> CheckKeys(IConfigurationRoot root)
    {
        var problems = new List<ConfigurationProblem>();
        foreach (var (key, value) in root.GetSection(PipelineSettings.Section).AsEnumerable())
        {
            if (value is null || string.Equals(key, PipelineSettings.Section, StringComparison.OrdinalIgnoreCase)) continue;
            var setting = SettingsSchema.Find(key);
            if (setting is null)
            {
                if (SettingsSchema.IsSection(key) && value.Length == 0) continue;
                var hint = SettingsSchema.Suggest(key) is { } s ? $"; did you mean {s}?" : "; `pipeline config show` lists every setting";
                problems.Add(new ConfigurationProblem(key, "no such setting" + hint, OriginOf(root, key)));
            }
            else if (value.Length > 0 && SettingsSchema.CheckValue(setting, value) is { } expected)
            {
                problems.Add(new ConfigurationProblem(setting.Key, $"'{(setting.IsSecret ? "***" : value)}' is not valid; expected {expected}", OriginOf(root, key)));
            }
        }
        return problems;
    }

    /// <summary>Which layer the value of <paramref name="key"/> came from (the last one that sets it), or null when none does.</summary>
    public static string? OriginOf(IConfigurationRoot root, string key)
    {
        foreach (var provider in root.Providers.Reverse())
        {
            if (provider.TryGet(key, out _)) return OriginConfigurationSource.Describe(provider, key);
        }
        return null;
    }

    /// <summary>Normalises a key from a flag or a variable: <c>S3:Bucket</c>, <c>s3__bucket</c> and <c>Pipeline:S3:Bucket</c>
    /// are all <c>Pipeline:S3:Bucket</c>.</summary>
    public static string FullKey(string key)
    {
        key = key.Trim().Replace("__", ":", StringComparison.Ordinal);
        return key.StartsWith(PipelineSettings.Section + ":", StringComparison.OrdinalIgnoreCase) ? key : Key(key);
    }

    private static string Key(string name) => PipelineSettings.Section + ":" + name;

    private static IConfigurationRoot BuildLayers(ConfigurationInputs inputs, OriginConfigurationSource env,
        OriginConfigurationSource cli, PipelineProfile? profile, OriginConfigurationSource? defaults)
    {
        var builder = new ConfigurationBuilder();
        if (defaults is not null) builder.Add(defaults);
        builder.AddJsonFile(Path.Combine(Path.GetFullPath(inputs.WorkingDirectory), "appsettings.json"), optional: true, reloadOnChange: false);
        if (profile is { } p)
        {
            builder.AddJsonFile(Path.Combine(Path.GetFullPath(inputs.WorkingDirectory), $"appsettings.{p.ToString().ToLowerInvariant()}.json"),
                optional: true, reloadOnChange: false);
        }
        if (inputs.ConfigFile is { } file)
        {
            var full = Path.GetFullPath(file, inputs.WorkingDirectory);
            if (!File.Exists(full)) throw new PipelineConfigurationException([new ConfigurationProblem("--config", $"no such file: {full}")]);
            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }
        builder.Add(env);
        builder.Add(cli);
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException e)
        {
            // "Failed to load configuration from file 'X'." with the JSON reader's line and position inside.
            var detail = e.GetBaseException() is System.Text.Json.JsonException j
                ? $"{j.Message.Split(" LineNumber", 2)[0].TrimEnd('.', ' ')} at line {j.LineNumber + 1}, position {j.BytePositionInLine + 1}"
                : (e.InnerException ?? e).Message;
            throw new PipelineConfigurationException([new ConfigurationProblem(JsonFileIn(e.Message) ?? "configuration file", $"not valid JSON: {detail}")]);
        }
    }

    private static string? JsonFileIn(string message)
    {
        var start = message.IndexOf('\'');
        var end = message.LastIndexOf('\'');
        return start >= 0 && end > start ? message[(start + 1)..end] : null;
    }

    private static OriginConfigurationSource EnvironmentLayer(IReadOnlyDictionary<string, string?> environment)
    {
        var layer = new OriginConfigurationSource("environment");
        // The older single-underscore names first, so PIPELINE__STORE wins over PIPELINE_STORE when both are set.
        foreach (var (name, setting) in new[] { ("PIPELINE_STORE", "Store"), ("PIPELINE_PROFILE", "Profile") })
        {
            if (environment.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v)) layer.Set(Key(setting), v, $"environment variable {name}");
        }
        foreach (var (name, value) in environment.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (name.StartsWith(EnvPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > EnvPrefix.Length)
                layer.Set(Key(name[EnvPrefix.Length..].Replace("__", ":", StringComparison.Ordinal)), value, $"environment variable {name}");
        }
        return layer;
    }

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) result[(string)e.Key] = e.Value as string;
        return result;
    }
}
