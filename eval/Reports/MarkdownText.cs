namespace Pipeline.Eval.Reports;

/// <summary>Puts strings from inputs (model names, paths, rule names) into Markdown without them turning into markup,
/// HTML or extra table columns.</summary>
internal static class MarkdownText
{
    /// <summary>Prose: Markdown's punctuation and HTML's angle brackets escaped, one line.</summary>
    public static string Text(string? s)
    {
        if (string.IsNullOrEmpty(s))
        {
            return "";
        }
        var t = s.ReplaceLineEndings(" ").Replace("\\", "\\\\", StringComparison.Ordinal);
        foreach (var c in "`*[]|")
        {
            t = t.Replace(c.ToString(), "\\" + c, StringComparison.Ordinal);
        }
        return t.Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
    }

    /// <summary>A code span (a name or path shown literally). The fence is one backtick longer than any run inside, as
    /// CommonMark asks.</summary>
    /// <param name="cell">In a table "|" must be escaped even inside a span: GitHub splits cells before parsing spans
    /// (and drops the backslash there, while elsewhere it would show).</param>
    public static string Code(string? s, bool cell = false)
    {
        if (string.IsNullOrEmpty(s))
        {
            return "";
        }
        var t = s.ReplaceLineEndings(" ");
        t = cell ? t.Replace("|", "\\|", StringComparison.Ordinal) : t;
        var longest = 0;
        for (int i = 0, run = 0; i < t.Length; i++)
        {
            run = t[i] == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        var fence = new string('`', longest + 1);
        var pad = t.StartsWith('`') || t.EndsWith('`') ? " " : "";
        return fence + pad + t + pad + fence;
    }

    public static string Row(params string[] cells) => "| " + string.Join(" | ", cells) + " |";

    public static string Header(params string[] cells) =>
        Row(cells) + "\n" + Row([.. cells.Select(_ => "---")]);
}
