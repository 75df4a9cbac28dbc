using System.CommandLine;
using Pipeline.Infra.Configuration;
using Spectre.Console;

namespace Pipeline.Workers.Cli;

/// <summary>`pipeline config show | check`: what the configuration resolves to and where each value came from, and
/// whether it works (every problem listed; with --connect, each service is reached).</summary>
public static class ConfigCommands
{
    public static Command Create()
    {
        var config = new Command("config", "The effective configuration: appsettings.json, PIPELINE__* variables and flags, merged");
        config.Subcommands.Add(Show());
        config.Subcommands.Add(ConfigCheckCommand.Create());
        return config;
    }

    private static Command Show()
    {
        var json = CliOptions.Json();
        var cmd = new Command("show", "Every setting with its effective value and the layer it came from (secrets as ***)") { json };
        cmd.SetAction(p =>
        {
            // Show what is there even when it would not validate: `config show` is how one finds out why.
            var root = PipelineConfiguration.Build(CliConfig.Inputs(p));
            var problems = PipelineConfiguration.CheckKeys(root);
            if (problems.Count > 0) throw new PipelineConfigurationException(problems);
            var settings = PipelineConfiguration.Load(root, PipelineComponents.None);
            var rows = SettingsSchema.All.Select(s => (
                s.Key,
                Value: SettingsSchema.ValueOf(settings, s) is { Length: > 0 } v ? (s.IsSecret ? "***" : Redacted(s, v)) : "",
                From: PipelineConfiguration.OriginOf(root, s.Key) ?? (s.IsMap ? Origins(root, s.Key) : null) ?? "built-in default",
                s.EnvironmentVariable)).ToList();
            if (p.GetValue(json))
            {
                CliOutput.PrintJson(rows.Select(r => new { key = r.Key, value = r.Value, from = r.From, environment = r.EnvironmentVariable }));
                return ExitCodes.Ok;
            }
            var table = new Table().Border(TableBorder.Simple).AddColumns("SETTING", "VALUE", "FROM");
            foreach (var r in rows) table.AddTextRow(r.Key, r.Value, r.From);
            CliOutput.Render(table);
            Console.Error.WriteLine("Set any of them in appsettings.json, as PIPELINE__SECTION__KEY (e.g. PIPELINE__S3__BUCKET), or with --set Section:Key=VALUE.");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    private static string Redacted(SettingDescriptor s, string value) =>
        s.Key == "Pipeline:Store" ? PipelineSettingsValidator.Redact(value) : value;

    private static string? Origins(Microsoft.Extensions.Configuration.IConfigurationRoot root, string mapKey)
    {
        var children = root.GetSection(mapKey).GetChildren().Select(c => PipelineConfiguration.OriginOf(root, c.Path)).OfType<string>().Distinct().ToList();
        return children.Count == 0 ? null : string.Join(", ", children);
    }
}
