using System.CommandLine;
using System.Text.Json;
using Pipeline.Infra.Configuration;
using Pipeline.Workers.Hosting;

namespace Pipeline.Workers.Cli;

/// <summary>Options shared by several verbs, and their parsing into engine values with one-line errors.</summary>
public static class CliOptions
{
    /// <summary>On the root command and inherited by every verb.</summary>
    public static Option<string?> Store { get; } = new("--store")
    {
        Description = "Workflow store: sqlite:PATH, postgres://user:pass@host:port/db or Host=...;... (sets Pipeline:Store; "
            + "default: appsettings.json, $PIPELINE__STORE, $PIPELINE_STORE, else sqlite:.pipeline/pipeline.db)",
        HelpName = "URI",
        Recursive = true,
    };

    /// <summary>On the root command and inherited by every verb.</summary>
    public static Option<string?> Profile { get; } = new("--profile")
    {
        Description = "Configuration profile: embedded (default: SQLite, in-memory bus, local artifacts, embedded tracking) "
            + "or server (PostgreSQL, RabbitMQ, S3, MLflow); sets Pipeline:Profile",
        HelpName = "NAME",
        Recursive = true,
    };

    /// <summary>On the root command and inherited by every verb.</summary>
    public static Option<string?> ConfigFile { get; } = new("--config")
    {
        Description = "A JSON settings file read after appsettings.json and before the environment",
        HelpName = "FILE",
        Recursive = true,
    };

    /// <summary>On the root command and inherited by every verb.</summary>
    public static Option<string[]> Set { get; } = new("--set")
    {
        Description = "Set one setting, highest precedence; repeatable: --set S3:Bucket=models (`pipeline config show` lists them)",
        HelpName = "KEY=VALUE",
        Recursive = true,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of a human-readable view" };

    public static Option<string?> Run() => new("--run") { Description = "A specific run of the id (default: the latest run)", HelpName = "RUNID" };

    public static Option<string?> Input(string what) => new("--input") { Description = what, HelpName = "JSON" };

    /// <summary>The workflow store the configuration names (<c>--store</c> wins over every other layer).</summary>
    public static StoreUri ParseStore(ParseResult p)
    {
        var config = CliConfig.Load(p, PipelineComponents.Store);
        return ParseStore(config);
    }

    public static StoreUri ParseStore(CliConfig config)
    {
        try
        {
            return StoreUri.Parse(config.Settings.Store);
        }
        catch (FormatException e)
        {
            throw new UsageException($"{config.Describe("Pipeline:Store")}: {e.Message}");
        }
    }

    /// <summary>The engine passes arguments as a JSON array; the CLI takes the one argument a workflow, signal or
    /// query receives (they take a single record) and wraps it. No --input means no argument.</summary>
    public static string ArgsJson(string? input, string flag = "--input")
    {
        if (input is null) return "[]";
        try
        {
            using var doc = JsonDocument.Parse(input);
            return "[" + doc.RootElement.GetRawText() + "]";
        }
        catch (JsonException e)
        {
            throw new UsageException($"{flag} is not valid JSON ({e.Message}); example: {flag} '{{\"steps\":3}}'");
        }
    }
}
