using System.Net;
using System.Text;

namespace Pipeline.Eval.Reports;

/// <summary>The frame of an HTML report: one self-contained page (inline CSS, no scripts, no URLs), and the escaping
/// every string from an input goes through.</summary>
internal static class HtmlPage
{
    private const string Css = """
        body { font: 14px/1.45 system-ui, sans-serif; color: #1a202c; margin: 0 auto; max-width: 1100px; padding: 0 24px 48px; }
        h1 { font-size: 22px; margin: 0; } h2 { font-size: 18px; margin: 28px 0 8px; } h3 { font-size: 15px; margin: 20px 0 6px; }
        .banner { margin: 24px 0 8px; padding: 16px 20px; border-radius: 6px; color: #fff; background: #4a5568; }
        .banner.pass { background: #2f855a; } .banner.blocked { background: #c53030; }
        .banner .verdict { font-size: 28px; font-weight: 700; letter-spacing: 0.04em; }
        table { border-collapse: collapse; margin: 6px 0 12px; }
        th, td { border-bottom: 1px solid #e2e8f0; padding: 4px 10px; text-align: left; vertical-align: top; }
        th { background: #f7fafc; font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        tr.fail td { background: #fff5f5; } td.result.pass { color: #2f855a; font-weight: 700; } td.result.fail { color: #c53030; font-weight: 700; }
        table.facts th { background: none; width: 9em; } code { font: 12px ui-monospace, monospace; background: #f1f5f9; padding: 0 3px; border-radius: 3px; }
        .suite { margin-bottom: 24px; } svg.chart { display: block; max-width: 100%; height: auto; margin-top: 8px; }
        li { margin: 4px 0; } .muted { color: #718096; }
        """;

    public static string Document(string title, string body) => new StringBuilder()
        .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .Append($"<title>{E(title)}</title>\n<style>\n{Css}\n</style>\n</head>\n<body>\n")
        .Append(body)
        .Append("</body>\n</html>\n")
        .ToString();

    /// <summary>HTML-escapes text and attribute values (&amp;, &lt;, &gt;, quotes).</summary>
    public static string E(string? s) => WebUtility.HtmlEncode(s ?? "");

    public static string Code(string? s) => string.IsNullOrEmpty(s) ? "" : $"<code>{E(s)}</code>";

    /// <summary>A table of already-rendered cells (no header row when every header is empty); <paramref name="numeric"/>
    /// marks the columns to right-align.</summary>
    public static void Table(StringBuilder html, string cssClass, string[] header, IEnumerable<(string? RowClass, string[] Cells)> rows, params int[] numeric)
    {
        html.Append($"<table class=\"{cssClass}\">");
        if (header.Any(h => h.Length > 0))
        {
            html.Append("<thead><tr>").AppendJoin("", header.Select(h => $"<th>{E(h)}</th>")).Append("</tr></thead>");
        }
        html.Append("<tbody>\n");
        foreach (var (rowClass, cells) in rows)
        {
            html.Append(rowClass is null ? "<tr>" : $"<tr class=\"{rowClass}\">");
            for (var i = 0; i < cells.Length; i++)
            {
                html.Append(numeric.Contains(i) ? "<td class=\"num\">" : "<td>").Append(cells[i]).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody></table>\n");
    }
}
