using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Pipeline.Infra.Configuration;

namespace Pipeline.Workers.Cli;

/// <summary>The configuration one command runs with: every layer (appsettings.json, --config, the environment, then
/// --profile, --store and --set) merged and checked for the parts the command uses.</summary>
public sealed record CliConfig(IConfigurationRoot Root, PipelineSettings Settings)
{
    /// <summary>Builds and checks the configuration; throws <see cref="PipelineConfigurationException"/> listing every problem.</summary>
    public static CliConfig Load(ParseResult p, PipelineComponents components, params (string Key, string Value, string Flag)[] extra)
    {
        var root = PipelineConfiguration.Build(Inputs(p, extra));
        return new CliConfig(root, PipelineConfiguration.Load(root, components));
    }

    public static ConfigurationInputs Inputs(ParseResult p, params (string Key, string Value, string Flag)[] extra)
    {
        var flags = new List<(string Key, string Value, string Flag)>();
        foreach (var pair in p.GetValue(CliOptions.Set) ?? [])
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new UsageException($"--set {pair}: expected KEY=VALUE, e.g. --set S3:Bucket=models");
            flags.Add((PipelineConfiguration.FullKey(pair[..eq]), pair[(eq + 1)..], $"--set {pair[..eq].Trim()}"));
        }
        if (p.GetValue(CliOptions.Profile) is { } profile) flags.Add(("Pipeline:Profile", profile, "--profile"));
        if (p.GetValue(CliOptions.Store) is { } store) flags.Add(("Pipeline:Store", store, "--store"));
        flags.AddRange(extra);
        return new ConfigurationInputs { ConfigFile = p.GetValue(CliOptions.ConfigFile), CommandLine = flags };
    }

    /// <summary>"Pipeline:Store (from --store)": a key and the layer its value came from, for error messages.</summary>
    public string Describe(string key) =>
        PipelineConfiguration.OriginOf(Root, key) is { } origin ? $"{key} (from {origin})" : key;
}
