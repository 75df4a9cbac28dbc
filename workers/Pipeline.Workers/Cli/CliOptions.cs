using System.CommandLine;
using System.Text.Json;
using Pipeline.Workers.Hosting;

namespace Pipeline.Workers.Cli;

/// <summary>Options shared by several verbs, and their parsing into engine values with one-line errors.</summary>
public static class CliOptions
{
    /// <summary>On the root command and inherited by every verb.</summary>
    public static Option<string> Store { get; } = new("--store")
    {
        Description = "Workflow store: sqlite:PATH, postgres://user:pass@host:port/db or Host=...;... (also $PIPELINE_STORE)",
        HelpName = "URI",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PIPELINE_STORE") is { Length: > 0 } env ? env : StoreUri.Default,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of a human-readable view" };

    public static Option<string?> Run() => new("--run") { Description = "A specific run of the id (default: the latest run)", HelpName = "RUNID" };

    public static Option<string?> Input(string what) => new("--input") { Description = what, HelpName = "JSON" };

    public static StoreUri ParseStore(ParseResult p)
    {
        var text = p.GetValue(Store) ?? StoreUri.Default;
        try
        {
            return StoreUri.Parse(text);
        }
        catch (FormatException e)
        {
            throw new UsageException($"--store: {e.Message}");
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
