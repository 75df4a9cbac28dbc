namespace Pipeline.ML.Models;

/// <summary>
/// The hyperparameters of a LLaMA-architecture causal LM, with HF transformers' <c>LlamaConfig</c> meanings; read and
/// written as config.json by <see cref="LlamaConfigJson"/>.
/// </summary>
public sealed record LlamaConfig
{
    /// <summary>Vocabulary size V (rows of the embedding and of lm_head). HF: vocab_size.</summary>
    public required int VocabSize { get; init; }

    /// <summary>Model width C. HF: hidden_size.</summary>
    public required int HiddenSize { get; init; }

    /// <summary>SwiGLU inner width F. HF: intermediate_size.</summary>
    public required int IntermediateSize { get; init; }

    /// <summary>Number of decoder layers. HF: num_hidden_layers.</summary>
    public required int NumHiddenLayers { get; init; }

    /// <summary>Query heads H. HF: num_attention_heads.</summary>
    public required int NumAttentionHeads { get; init; }

    /// <summary>Key/value heads Hkv (grouped-query attention; equal to H for plain multi-head). HF: num_key_value_heads.</summary>
    public required int NumKeyValueHeads { get; init; }

    /// <summary>Per-head width D; HF's default is hidden_size / num_attention_heads. HF: head_dim.</summary>
    public required int HeadDim { get; init; }

    /// <summary>Longest position the RoPE table covers. HF: max_position_embeddings. Default 2048.</summary>
    public int MaxPositionEmbeddings { get; init; } = 2048;

    /// <summary>RMSNorm epsilon. HF: rms_norm_eps. Default 1e-6.</summary>
    public double RmsNormEps { get; init; } = 1e-6;

    /// <summary>RoPE base θ. HF: rope_theta. Default 10000.</summary>
    public double RopeTheta { get; init; } = 10000.0;

    /// <summary>Whether lm_head shares the embedding matrix. HF: tie_word_embeddings. Default false (HF's LLaMA default).</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Optional token ids, carried through to config.json for other tools.</summary>
    public int? BosTokenId { get; init; }

    public int? EosTokenId { get; init; }

    /// <summary>A config with HF's derived defaults: Hkv = H and D = C / H.</summary>
    public static LlamaConfig Create(int vocab, int hidden, int intermediate, int layers, int heads, int? kvHeads = null, bool tied = false) =>
        new()
        {
            VocabSize = vocab, HiddenSize = hidden, IntermediateSize = intermediate, NumHiddenLayers = layers,
            NumAttentionHeads = heads, NumKeyValueHeads = kvHeads ?? heads, HeadDim = hidden / heads,
            TieWordEmbeddings = tied,
        };

    /// <summary>Checks the fields against each other; the message names the config.json field.</summary>
    public void Validate()
    {
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(IntermediateSize, "intermediate_size");
        Positive(NumHiddenLayers, "num_hidden_layers");
        Positive(NumAttentionHeads, "num_attention_heads");
        Positive(NumKeyValueHeads, "num_key_value_heads");
        Positive(HeadDim, "head_dim");
        Positive(MaxPositionEmbeddings, "max_position_embeddings");
        if (NumAttentionHeads % NumKeyValueHeads != 0)
        {
            throw new ArgumentException(
                $"num_attention_heads ({NumAttentionHeads}) must be a multiple of num_key_value_heads ({NumKeyValueHeads})");
        }
        if (HeadDim % 2 != 0)
        {
            throw new ArgumentException($"head_dim must be even for rotary embeddings, got {HeadDim}");
        }
        if (!(RmsNormEps > 0))
        {
            throw new ArgumentException($"rms_norm_eps must be > 0, got {RmsNormEps}");
        }
        if (!(RopeTheta > 1))
        {
            throw new ArgumentException($"rope_theta must be > 1, got {RopeTheta}");
        }

        static void Positive(int value, string field)
        {
            if (value <= 0)
            {
                throw new ArgumentException($"{field} must be a positive integer, got {value}");
            }
        }
    }

    /// <summary>Number of parameters (tied embeddings counted once).</summary>
    public long ParameterCount
    {
        get
        {
            long c = HiddenSize, f = IntermediateSize, q = NumAttentionHeads * HeadDim, kv = NumKeyValueHeads * HeadDim;
            var perLayer = 2 * c + c * q + 2 * c * kv + q * c + 3 * c * f;
            var embed = (long)VocabSize * c;
            return embed + NumHiddenLayers * perLayer + c + (TieWordEmbeddings ? 0 : embed);
        }
    }
}
