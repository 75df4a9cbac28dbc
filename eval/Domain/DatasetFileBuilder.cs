using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.Eval.Domain;

/// <summary>
/// Builds one dataset file in memory, a row at a time: JSON objects (keys in the order written, no spaces, "\n" after
/// each) or plain text lines. Apostrophes and "+" stay as they are rather than \u0027 and \u002B, so the files read
/// as the text they hold.
/// </summary>
internal sealed class DatasetFileBuilder
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    private readonly ArrayBufferWriter<byte> _buffer = new(1 << 16);
    private readonly Utf8JsonWriter _writer;

    public DatasetFileBuilder() => _writer = new Utf8JsonWriter(_buffer, Options);

    public int Rows { get; private set; }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public void Line(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        _buffer.Write(bytes);
        _buffer.Write("\n"u8);
        Rows++;
    }

    /// <summary>An SFT row: <c>{"id", "messages": [user, assistant]}</c>.</summary>
    public void Messages(string id, string user, string assistant) => Row(w =>
    {
        w.WriteString("id", id);
        w.WriteStartArray("messages");
        Message(w, "user", user);
        Message(w, "assistant", assistant);
        w.WriteEndArray();
    });

    /// <summary>A prompt row in TRL's conversational prompt format, with the verifier's columns; the reference answer
    /// too when <paramref name="withReference"/> (eval files).</summary>
    public void Prompt(string id, PromptRow row, bool withReference) => Row(w =>
    {
        w.WriteString("id", id);
        w.WriteStartArray("prompt");
        Message(w, "user", row.User);
        w.WriteEndArray();
        Columns(w, row.Answer, row.Behavior, row.Task);
        if (withReference)
        {
            w.WriteString("reference", row.Reference);
        }
    });

    /// <summary>A raw-format prompt (a plain string, no chat) for the pretrained base model.</summary>
    public void RawPrompt(string id, string prompt, string answer, string task) => Row(w =>
    {
        w.WriteString("id", id);
        w.WriteString("prompt", prompt);
        Columns(w, answer, DemoBehavior.Answer, task);
    });

    public void Text(string id, string text) => Row(w =>
    {
        w.WriteString("id", id);
        w.WriteString("text", text);
    });

    /// <summary>A preference pair in TRL's conversational format.</summary>
    public void Preference(string id, string user, string chosen, string rejected) => Row(w =>
    {
        w.WriteString("id", id);
        w.WriteStartArray("prompt");
        Message(w, "user", user);
        w.WriteEndArray();
        w.WriteStartArray("chosen");
        Message(w, "assistant", chosen);
        w.WriteEndArray();
        w.WriteStartArray("rejected");
        Message(w, "assistant", rejected);
        w.WriteEndArray();
    });

    private void Row(Action<Utf8JsonWriter> body)
    {
        _writer.WriteStartObject();
        body(_writer);
        _writer.WriteEndObject();
        _writer.Flush();
        _writer.Reset();
        _buffer.Write("\n"u8);
        Rows++;
    }

    private static void Columns(Utf8JsonWriter w, string? answer, string behavior, string task)
    {
        if (answer is not null)
        {
            w.WriteString("answer", answer);
        }
        w.WriteString(DemoBehavior.Column, behavior);
        w.WriteString("task", task);
    }

    private static void Message(Utf8JsonWriter w, string role, string content)
    {
        w.WriteStartObject();
        w.WriteString("role", role);
        w.WriteString("content", content);
        w.WriteEndObject();
    }
}
