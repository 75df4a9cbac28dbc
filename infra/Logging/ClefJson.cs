using System.Globalization;
using Serilog.Events;

namespace Pipeline.Infra.Logging;

/// <summary>JSON writing for <see cref="ClefFormatter"/>: strings and Serilog's property values.</summary>
internal static class ClefJson
{
    public static void WriteString(string value, TextWriter output)
    {
        output.Write('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': output.Write("\\\""); break;
                case '\\': output.Write("\\\\"); break;
                case '\n': output.Write("\\n"); break;
                case '\r': output.Write("\\r"); break;
                case '\t': output.Write("\\t"); break;
                default:
                    if (c < ' ')
                    {
                        output.Write("\\u");
                        output.Write(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        output.Write(c);
                    }
                    break;
            }
        }
        output.Write('"');
    }

    public static void WriteValue(LogEventPropertyValue value, TextWriter output)
    {
        switch (value)
        {
            case ScalarValue scalar: WriteScalar(scalar.Value, output); break;
            case SequenceValue sequence: WriteSequence(sequence, output); break;
            case StructureValue structure: WriteStructure(structure, output); break;
            case DictionaryValue dictionary: WriteDictionary(dictionary, output); break;
            default: WriteString(value.ToString(), output); break;
        }
    }

    private static void WriteSequence(SequenceValue sequence, TextWriter output)
    {
        output.Write('[');
        var first = true;
        foreach (var element in sequence.Elements)
        {
            if (!first) output.Write(',');
            first = false;
            WriteValue(element, output);
        }
        output.Write(']');
    }

    private static void WriteStructure(StructureValue structure, TextWriter output)
    {
        output.Write('{');
        var first = true;
        if (structure.TypeTag is not null)
        {
            WriteString("$type", output);
            output.Write(':');
            WriteString(structure.TypeTag, output);
            first = false;
        }
        foreach (var property in structure.Properties)
        {
            if (!first) output.Write(',');
            first = false;
            WriteString(property.Name, output);
            output.Write(':');
            WriteValue(property.Value, output);
        }
        output.Write('}');
    }

    private static void WriteDictionary(DictionaryValue dictionary, TextWriter output)
    {
        output.Write('{');
        var first = true;
        foreach (var (key, element) in dictionary.Elements)
        {
            if (!first) output.Write(',');
            first = false;
            // JSON keys are strings, whatever the dictionary's key type was.
            WriteString(ScalarText(key.Value), output);
            output.Write(':');
            WriteValue(element, output);
        }
        output.Write('}');
    }

    private static void WriteScalar(object? value, TextWriter output)
    {
        switch (value)
        {
            case null: output.Write("null"); break;
            case bool b: output.Write(b ? "true" : "false"); break;
            case string s: WriteString(s, output); break;
            // Non-finite floats have no JSON number form; Seq reads them back from strings.
            case double d when !double.IsFinite(d): WriteString(d.ToString(CultureInfo.InvariantCulture), output); break;
            case float f when !float.IsFinite(f): WriteString(f.ToString(CultureInfo.InvariantCulture), output); break;
            case double d: output.Write(d.ToString("R", CultureInfo.InvariantCulture)); break;
            case float f: output.Write(f.ToString("R", CultureInfo.InvariantCulture)); break;
            case byte or sbyte or short or ushort or int or uint or long or ulong or decimal:
                output.Write(((IFormattable)value).ToString(null, CultureInfo.InvariantCulture));
                break;
            default: WriteString(ScalarText(value), output); break;
        }
    }

    private static string ScalarText(object? value) => value switch
    {
        null => "null",
        DateTime dt => dt.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
