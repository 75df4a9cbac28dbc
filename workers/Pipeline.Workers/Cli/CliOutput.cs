using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Durable.Storage;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Pipeline.Workers.Cli;

/// <summary>How the CLI writes: JSON (camelCase, indented, nulls left out) to stdout for scripts, Spectre tables for people.</summary>
public static class CliOutput
{
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // Terminal and file output, not HTML: print "a >= b" rather than "a \u003E= b".
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // Enum values as declared (history event types read as Temporal names them: "ActivityTaskCompleted").
        Converters = { new JsonStringEnumConverter() },
    };

    public static void PrintJson<T>(T value) => Console.Out.WriteLine(JsonSerializer.Serialize(value, JsonOptions));

    /// <summary>A stored JSON payload as a JSON value, so that it nests in the output instead of being an escaped string.</summary>
    public static JsonElement? ParseJson(string? json)
    {
        if (string.IsNullOrEmpty(json)) return null;
        try { return JsonElement.Parse(json); }
        catch (JsonException) { return JsonSerializer.SerializeToElement(json); }
    }

    public static string Time(DateTimeOffset? t) => t is { } v ? v.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss") : "";

    public static string Clock(DateTimeOffset? t) => t is { } v ? v.ToLocalTime().ToString("HH:mm:ss.fff") : "";

    public static string Truncate(string? s, int max) =>
        s is null ? "" : (s = s.ReplaceLineEndings(" ")).Length <= max ? s : s[..(max - 1)] + "…";

    /// <summary>A status coloured by outcome, for tables.</summary>
    public static Markup Status(string status) => new(Markup.Escape(status), new Style(status switch
    {
        RunStatus.Running => Color.Blue,
        RunStatus.Completed => Color.Green,
        RunStatus.Failed => Color.Red,
        RunStatus.Cancelled or RunStatus.Terminated => Color.Yellow,
        _ => Color.Grey,
    }));

    /// <summary>Adds a row of plain text: table.AddRow(string) would read "[" in a payload as Spectre markup.</summary>
    public static Table AddTextRow(this Table table, params string?[] cells) =>
        table.AddRow(cells.Select(c => (IRenderable)new Text(c ?? "")));

    /// <summary>Writes a table to stdout. Piped output gets no colour codes and a wide canvas (Spectre would
    /// assume 80 columns and wrap).</summary>
    public static void Render(IRenderable renderable) => Screen.Value.Write(renderable);

    private static readonly Lazy<IAnsiConsole> Screen = new(() =>
    {
        if (!Console.IsOutputRedirected) return AnsiConsole.Console;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(Console.Out),
        });
        console.Profile.Width = 200;
        return console;
    });
}
