using System.Text;

namespace Pipeline.ML.Data;

/// <summary>Reads a UTF-8 stream line by line, never holding more than one line. Lines are cut on bytes, and each is
/// decoded strictly on its own, so invalid UTF-8 is reported on the line that holds it (a StreamReader decodes
/// ahead in blocks, and its default decoder silently substitutes U+FFFD).</summary>
internal static class Utf8Lines
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Lines without their "\n" or "\r\n"; a UTF-8 byte order mark at the start is skipped.</summary>
    public static IEnumerable<string> Read(Stream stream, string source)
    {
        var buffer = new byte[64 * 1024];
        using var line = new MemoryStream();
        var number = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            var start = 0;
            int newline;
            while ((newline = Array.IndexOf(buffer, (byte)'\n', start, read - start)) >= 0)
            {
                line.Write(buffer, start, newline - start);
                yield return Decode(line, ++number, source);
                line.SetLength(0);
                start = newline + 1;
            }

            line.Write(buffer, start, read - start);
        }

        if (line.Length > 0)
        {
            yield return Decode(line, ++number, source);
        }
    }

    private static string Decode(MemoryStream line, int number, string source)
    {
        var bytes = line.GetBuffer().AsSpan(0, (int)line.Length);
        if (number == 1 && bytes.StartsWith("\uFEFF"u8))
        {
            bytes = bytes[3..];
        }

        if (bytes.EndsWith("\r"u8))
        {
            bytes = bytes[..^1];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException e)
        {
            throw new DataLine(source, number).Error($"not valid UTF-8 (at byte offset {e.Index} of the line)");
        }
    }
}
