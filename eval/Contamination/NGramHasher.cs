using System.Text;

namespace Pipeline.Eval.Contamination;

/// <summary>
/// Normalizes a text and hashes its word n-grams. Normalization: letters and digits are kept and lower-cased
/// (invariant), arithmetic operators (+ - * / = &lt; &gt; % × ÷ −) are words of their own, everything else separates
/// words, so case, punctuation and spacing never matter ("What is 83 - 6?" → "what is 83 - 6"; "83-6" alike). Each n-gram — its words joined by single spaces, as UTF-8 — is hashed with FNV-1a 64, which is the
/// same in every process (string.GetHashCode is randomized per process). A text of fewer than n words is hashed
/// whole. Not thread-safe: it reuses its buffers from text to text.
/// </summary>
internal sealed class NGramHasher(int n)
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    private byte[] _bytes = new byte[1024];
    private int _length;
    private int[] _starts = new int[128];
    private int[] _ends = new int[128];
    private int _words;

    public int N => n;

    /// <summary>Appends the hashes of <paramref name="text"/>'s n-grams in order (one hash when it is shorter than n
    /// words, none when it has no words) and returns how many were appended.</summary>
    public int Hash(string text, List<ulong> into)
    {
        Load(text);
        if (_words == 0)
        {
            return 0;
        }
        if (_words < n)
        {
            into.Add(Fnv1a64(_bytes.AsSpan(0, _length)));
            return 1;
        }
        for (var i = 0; i + n <= _words; i++)
        {
            into.Add(Fnv1a64(_bytes.AsSpan(_starts[i], _ends[i + n - 1] - _starts[i])));
        }
        return _words - n + 1;
    }

    /// <summary>The normalized words of <paramref name="text"/>.</summary>
    public string[] Words(string text)
    {
        Load(text);
        var words = new string[_words];
        for (var i = 0; i < _words; i++)
        {
            words[i] = Encoding.UTF8.GetString(_bytes, _starts[i], _ends[i] - _starts[i]);
        }
        return words;
    }

    public static ulong Fnv1a64(ReadOnlySpan<byte> bytes)
    {
        var hash = FnvOffset;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * FnvPrime;
        }
        return hash;
    }

    /// <summary>Writes the normalized text as UTF-8 ("w1 w2 … wk") and records where each word starts and ends.</summary>
    private void Load(string text)
    {
        _length = 0;
        _words = 0;
        var inWord = false;
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsOperator(rune))
            {
                if (inWord)
                {
                    EndWord();
                    inWord = false;
                }
                StartWord();
                Append(utf8[..rune.EncodeToUtf8(utf8)]);
                EndWord();
                continue;
            }
            if (!Rune.IsLetterOrDigit(rune))
            {
                if (inWord)
                {
                    EndWord();
                }
                inWord = false;
                continue;
            }
            if (!inWord)
            {
                StartWord();
                inWord = true;
            }
            var written = Rune.ToLowerInvariant(rune).EncodeToUtf8(utf8);
            Append(utf8[..written]);
        }
        if (inWord)
        {
            EndWord();
        }
    }

    // An operator changes what a text says ("83 + 6" is not "83 - 6"), so it is a word of its own, not a separator.
    private static bool IsOperator(Rune rune) => rune.Value is '+' or '-' or '*' or '/' or '=' or '<' or '>' or '%' or '×' or '÷' or '−';

    private void StartWord()
    {
        if (_words > 0)
        {
            Append(" "u8);
        }
        if (_words == _starts.Length)
        {
            Array.Resize(ref _starts, _words * 2);
            Array.Resize(ref _ends, _words * 2);
        }
        _starts[_words] = _length;
    }

    private void EndWord() => _ends[_words++] = _length;

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _length + bytes.Length));
        }
        bytes.CopyTo(_bytes.AsSpan(_length));
        _length += bytes.Length;
    }
}
