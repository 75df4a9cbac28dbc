namespace Pipeline.ML.Quantization;

/// <summary>
/// How a frozen base is stored in 4 bits, named as transformers' BitsAndBytesConfig
/// (load_in_4bit=True, bnb_4bit_quant_type="nf4").
/// </summary>
public sealed record Nf4Options
{
    /// <summary>Values per absmax block. bitsandbytes: blocksize (QLoRA and bnb's default 64). Even, ≥ 2.</summary>
    public int BlockSize { get; init; } = 64;

    /// <summary>Quantize the per-block absmax constants again: mean subtracted, 8 bits each in blocks of
    /// <see cref="ScaleBlockSize"/> with a float32 scale per block (QLoRA's double quantization, ~0.37 bits per
    /// parameter saved at block size 64). HF: bnb_4bit_use_double_quant. Default true.</summary>
    public bool DoubleQuant { get; init; } = true;

    /// <summary>Absmax constants per 8-bit block of the double quantization. QLoRA: 256. Default 256.</summary>
    public int ScaleBlockSize { get; init; } = 256;

    public void Validate()
    {
        if (BlockSize < 2 || BlockSize % 2 != 0)
        {
            throw new ArgumentException($"bnb_4bit_blocksize must be an even number ≥ 2, got {BlockSize}");
        }
        if (ScaleBlockSize < 1)
        {
            throw new ArgumentException($"the double-quantization block size must be ≥ 1, got {ScaleBlockSize}");
        }
    }
}
