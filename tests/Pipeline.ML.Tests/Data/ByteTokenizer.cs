using System.Text;
using Pipeline.ML.Tokenization;

namespace Pipeline.ML.Tests.Data;

/// <summary>A tokenizer with no merges: four special tokens (ids 0–3), then byte b is id 4 + b. Every expected
/// encoding can be written down from the text alone.</summary>
internal static class ByteTokenizer
{
    public const int ImStart = 0;
    public const int ImEnd = 1;
    public const int EndOfText = 2;
    public const int Pad = 3;
    public const int Ignore = -100;

    public static readonly ByteLevelBpeTokenizer Instance = Build();

    /// <summary>The ids of a text without special tokens: one per UTF-8 byte.</summary>
    public static int[] Bytes(string text) => Encoding.UTF8.GetBytes(text).Select(b => 4 + b).ToArray();

    public static int[] Masked(int count) => Enumerable.Repeat(Ignore, count).ToArray();

    /// <summary>ChatML's rendering of one turn: the header and trailing newline are never trained; the content and
    /// its &lt;|im_end|&gt; are when <paramref name="trained"/>.</summary>
    public static (int[] Ids, int[] Labels) Turn(string role, string content, bool trained)
    {
        int[] head = [ImStart, .. Bytes(role + "\n")];
        int[] body = [.. Bytes(content), ImEnd];
        int[] newline = Bytes("\n");
        return ([.. head, .. body, .. newline], [.. Masked(head.Length), .. trained ? body : Masked(body.Length), .. Masked(newline.Length)]);
    }

    private static ByteLevelBpeTokenizer Build()
    {
        var vocab = Enumerable.Range(0, 256).ToDictionary(b => ByteLevelAlphabet.ToChar((byte)b).ToString(), b => 4 + b);
        AddedToken[] added = [new(ImStart, ChatTemplate.ImStart), new(ImEnd, ChatTemplate.ImEnd), new(EndOfText, "<|endoftext|>"), new(Pad, "<|pad|>")];
        return new ByteLevelBpeTokenizer(vocab, [], added);
    }
}
