using System.Text;

namespace Pipeline.ML.Tokenization;

/// <summary>GPT-2-style byte-level BPE, interoperable with HF <c>tokenizers</c>' tokenizer.json (ByteLevel
/// pre-tokenizer and decoder, BPE model). Text is cut at added tokens first, then split by GPT-2's pattern; each
/// piece's UTF-8 bytes become byte-level symbols that are merged by rank. Any string round-trips exactly when the
/// vocabulary holds all 256 byte symbols (a trained one always does).</summary>
public sealed class ByteLevelBpeTokenizer
{
    private readonly BpeModel _model;
    private readonly AddedTokenMatcher _matcher;
    private readonly Dictionary<int, string> _addedById;
    private readonly Dictionary<string, int> _addedByContent;
    private readonly Dictionary<int, string> _vocabById;

    /// <param name="vocab">token (byte-level symbols) → id; must hold every token the merges name or produce.</param>
    /// <param name="merges">in rank order, lowest rank first.</param>
    /// <param name="addedTokens">special and other added tokens, matched verbatim before pre-tokenization.</param>
    public ByteLevelBpeTokenizer(
        IReadOnlyDictionary<string, int> vocab,
        IReadOnlyList<(string Left, string Right)> merges,
        IReadOnlyList<AddedToken> addedTokens,
        string? unkToken = null,
        bool ignoreMerges = false)
    {
        foreach (var (left, right) in merges)
        {
            foreach (var token in new[] { left, right, left + right })
            {
                if (!vocab.ContainsKey(token))
                {
                    throw new ArgumentException($"merge '{left} {right}' names '{token}', which is not in the vocab", nameof(merges));
                }
            }
        }

        _model = new BpeModel(new Dictionary<string, int>(vocab, StringComparer.Ordinal), merges.ToArray(), unkToken, ignoreMerges);
        AddedTokens = addedTokens.OrderBy(t => t.Id).ToArray();
        _matcher = new AddedTokenMatcher(AddedTokens);
        _addedById = AddedTokens.ToDictionary(t => t.Id, t => t.Content);
        _addedByContent = AddedTokens.ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal);
        _vocabById = [];
        foreach (var (token, id) in vocab)
        {
            _vocabById.TryAdd(id, token);
        }

        var maxId = Math.Max(vocab.Count == 0 ? -1 : vocab.Values.Max(), AddedTokens.Count == 0 ? -1 : AddedTokens[^1].Id);
        VocabSize = maxId + 1;
    }

    /// <summary>Rows an embedding needs: the highest id (model vocab or added token) plus one.</summary>
    public int VocabSize { get; }

    public IReadOnlyDictionary<string, int> Vocab => _model.Vocab;

    public IReadOnlyList<(string Left, string Right)> Merges => _model.Merges;

    public IReadOnlyList<AddedToken> AddedTokens { get; }

    public string? UnkToken => _model.UnkToken;

    public bool IgnoreMerges => _model.IgnoreMerges;

    public static ByteLevelBpeTokenizer Load(string path) => TokenizerJsonReader.Read(File.ReadAllBytes(path), path);

    public static ByteLevelBpeTokenizer FromJson(string json, string source = "<memory>") =>
        TokenizerJsonReader.Read(Encoding.UTF8.GetBytes(json), source);

    /// <summary>Writes tokenizer.json atomically (temp file, then rename).</summary>
    public void Save(string path)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, TokenizerJsonWriter.Write(this));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The tokenizer.json bytes: UTF-8, two-space indented, vocab ordered by id.</summary>
    public byte[] ToJsonBytes() => TokenizerJsonWriter.Write(this);

    public int[] Encode(string text)
    {
        var ids = new List<int>();
        foreach (var (piece, tokenId) in _matcher.Split(text))
        {
            if (tokenId >= 0)
            {
                ids.Add(tokenId);
                continue;
            }

            foreach (var word in Gpt2PreTokenizer.Split(piece))
            {
                ids.AddRange(_model.Tokenize(Encoding.UTF8.GetBytes(word)));
            }
        }

        return ids.ToArray();
    }

    /// <summary>Added tokens decode to their content; byte sequences that are not valid UTF-8 (only possible for
    /// arbitrary ids) decode to U+FFFD, as HF's <c>from_utf8_lossy</c> does.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            if (_addedById.TryGetValue(id, out var content))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(content));
            }
            else if (_vocabById.TryGetValue(id, out var token))
            {
                AppendTokenBytes(token, bytes);
            }
            else
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id {id} is not in the vocabulary");
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public int? TokenToId(string token) =>
        _addedByContent.TryGetValue(token, out var added) ? added
        : _model.Vocab.TryGetValue(token, out var id) ? id : null;

    public string? IdToToken(int id) =>
        _addedById.TryGetValue(id, out var content) ? content : _vocabById.GetValueOrDefault(id);

    private static void AppendTokenBytes(string token, List<byte> bytes)
    {
        var start = bytes.Count;
        foreach (var c in token)
        {
            if (!ByteLevelAlphabet.TryToByte(c, out var b))
            {
                // HF's ByteLevel decoder: a token with a character outside the alphabet is taken as its UTF-8 bytes.
                bytes.RemoveRange(start, bytes.Count - start);
                bytes.AddRange(Encoding.UTF8.GetBytes(token));
                return;
            }

            bytes.Add(b);
        }
    }
}
