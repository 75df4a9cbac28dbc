using System.Text;

namespace Pipeline.Eval.Reports;

/// <summary>A fixed-width text table: columns padded to their widest cell, two spaces apart, a rule under the header.
/// Plain characters only, so it reads the same in a terminal, a pipe and a CI log.</summary>
internal sealed class TextTable(params string[] header)
{
    private readonly List<string[]> rows = [];

    public TextTable Add(params string[] cells)
    {
        rows.Add(cells);
        return this;
    }

    public override string ToString()
    {
        var widths = header.Select((h, i) => rows.Select(r => Cell(r, i).Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        Line(text, header, widths);
        Line(text, [.. widths.Select(w => new string('-', w))], widths);
        foreach (var r in rows)
        {
            Line(text, r, widths);
        }
        return text.ToString();
    }

    private static void Line(StringBuilder text, string[] cells, int[] widths)
    {
        var line = string.Join("  ", widths.Select((w, i) => Cell(cells, i).PadRight(w)));
        text.Append(line.TrimEnd()).Append('\n');
    }

    private static string Cell(string[] cells, int i) => i < cells.Length ? cells[i].ReplaceLineEndings(" ") : "";
}
