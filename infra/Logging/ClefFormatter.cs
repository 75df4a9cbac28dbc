using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Parsing;

namespace Pipeline.Infra.Logging;

/// <summary>
/// Writes each event as one line of Seq's compact log event format (CLEF): the reified fields
/// <c>@t</c>, <c>@mt</c>, <c>@l</c> (left out for Information), <c>@x</c>, <c>@r</c> and optionally
/// <c>@i</c>, then every property as a top-level field. A property whose name starts with <c>@</c>
/// gets a second <c>@</c> so it cannot be read back as a reified field.
/// </summary>
public sealed class ClefFormatter(bool includeEventId = false) : ITextFormatter
{
    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);

        output.Write("{\"@t\":\"");
        output.Write(logEvent.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        output.Write("\",\"@mt\":");
        ClefJson.WriteString(logEvent.MessageTemplate.Text, output);

        if (logEvent.Level != LogEventLevel.Information)
        {
            output.Write(",\"@l\":\"");
            output.Write(logEvent.Level.ToString());
            output.Write('"');
        }
        if (logEvent.Exception is not null)
        {
            output.Write(",\"@x\":");
            ClefJson.WriteString(logEvent.Exception.ToString(), output);
        }
        WriteRenderings(logEvent, output);
        if (includeEventId)
        {
            output.Write(",\"@i\":\"");
            output.Write(EventId(logEvent.MessageTemplate.Text).ToString("x8", CultureInfo.InvariantCulture));
            output.Write('"');
        }

        foreach (var (name, value) in logEvent.Properties)
        {
            output.Write(',');
            ClefJson.WriteString(name.StartsWith('@') ? "@" + name : name, output);
            output.Write(':');
            ClefJson.WriteValue(value, output);
        }
        output.Write('}');
        output.WriteLine();
    }

    // @r holds, in template order, the rendering of each token that carries a format string
    // ("{Loss:0.000}"), because a reader cannot reproduce .NET's format strings itself.
    private static void WriteRenderings(LogEvent logEvent, TextWriter output)
    {
        var first = true;
        foreach (var token in logEvent.MessageTemplate.Tokens)
        {
            if (token is not PropertyToken { Format: not null } property) continue;
            output.Write(first ? ",\"@r\":[" : ",");
            first = false;
            var rendered = new StringWriter(CultureInfo.InvariantCulture);
            property.Render(logEvent.Properties, rendered, CultureInfo.InvariantCulture);
            ClefJson.WriteString(rendered.ToString(), output);
        }
        if (!first) output.Write(']');
    }

    /// <summary>A stable event type: 32-bit FNV-1a of the message template text.</summary>
    internal static uint EventId(string template)
    {
        var hash = 2166136261u;
        foreach (var c in template)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }
}
