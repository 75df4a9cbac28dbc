using Pipeline.ML.Compute;
using Pipeline.ML.Tensors;

namespace Pipeline.ML.Quantization;

/// <summary>
/// A frozen float32 tensor stored in 4-bit NormalFloat (<see cref="Nf4"/>), as bitsandbytes' Params4bit stores it:
/// the tensor is flattened row-major and cut into blocks of <see cref="BlockSize"/> consecutive values; each value
/// keeps the 4-bit code of its nearest level after division by its block's absmax; two codes share a byte, the
/// FIRST value in the HIGH nibble (bitsandbytes' order). The absmax constants are kept as float32, or double-quantized
/// (<see cref="QuantizedScales"/>).
/// Sizes that are not a multiple of the block size: the last block holds the remaining values and its absmax is
/// theirs alone; an odd count leaves the last byte's low nibble unused, holding <see cref="Nf4.ZeroCode"/>.
/// </summary>
public sealed class Nf4Tensor
{
    private Nf4Tensor(int[] shape, int length, int blockSize, byte[] packed, float[]? absmax, QuantizedScales? scales)
    {
        Shape = shape;
        Length = length;
        BlockSize = blockSize;
        Packed = packed;
        Absmax = absmax;
        Scales = scales;
    }

    public int[] Shape { get; }

    public int Length { get; }

    public int BlockSize { get; }

    public int Blocks => (Length + BlockSize - 1) / BlockSize;

    /// <summary>⌈Length/2⌉ bytes, two codes each, first value in the high nibble.</summary>
    public byte[] Packed { get; }

    /// <summary>The per-block absmax in float32; null when double-quantized.</summary>
    public float[]? Absmax { get; }

    /// <summary>The double-quantized per-block absmax; null when stored in float32.</summary>
    public QuantizedScales? Scales { get; }

    public int Dim(int axis) => Shape[axis < 0 ? Shape.Length + axis : axis];

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    /// <summary>Bytes held: the packed codes plus the block constants (and, double-quantized, their steps and mean).</summary>
    public long StorageBytes => Packed.Length + (Scales?.StorageBytes ?? 4L * Absmax!.Length);

    /// <summary>Storage bits per value: 4 + 32/64 = 4.5 plain; 4 + 8/64 + 32/(64·256) ≈ 4.127 double-quantized at
    /// the QLoRA sizes (plus the mean's 32 bits over the whole tensor and any padding of the last block).</summary>
    public double BitsPerParameter => Length == 0 ? 0 : 8.0 * StorageBytes / Length;

    /// <summary>The absmax used to dequantize block <paramref name="block"/> (the reconstructed one when double-quantized).</summary>
    public float BlockAbsmax(int block) => Scales is { } s ? s[block] : Absmax![block];

    /// <summary>The 4-bit code of value <paramref name="index"/>.</summary>
    public int Code(int index) => (index & 1) == 0 ? Packed[index >> 1] >> 4 : Packed[index >> 1] & 0xF;

    public static Nf4Tensor Quantize(Tensor tensor, Nf4Options? options = null) =>
        Quantize(tensor.Span, tensor.Shape, options);

    public static Nf4Tensor Quantize(ReadOnlySpan<float> values, int[] shape, Nf4Options? options = null)
    {
        options ??= new Nf4Options();
        options.Validate();
        var length = shape.Aggregate(1L, (a, d) => a * d);
        if (length != values.Length)
        {
            throw new ArgumentException($"nf4: {values.Length} values do not fill shape [{string.Join(", ", shape)}]");
        }
        var blockSize = options.BlockSize;
        var blocks = (values.Length + blockSize - 1) / blockSize;
        var absmax = new float[blocks];
        var packed = new byte[(values.Length + 1) / 2];
        for (var b = 0; b < blocks; b++)
        {
            var start = b * blockSize;
            var block = values.Slice(start, Math.Min(blockSize, values.Length - start));
            var max = 0f;
            for (var i = 0; i < block.Length; i++)
            {
                if (!float.IsFinite(block[i]))
                {
                    throw new ArgumentException($"nf4: value {start + i} is {block[i]}; only finite values can be quantized");
                }
                max = Math.Max(max, Math.Abs(block[i]));
            }
            absmax[b] = max;
            for (var i = 0; i < block.Length; i++)
            {
                var code = max == 0 ? Nf4.ZeroCode : Nf4.Encode(block[i] / max);
                Put(packed, start + i, code);
            }
        }
        if (values.Length % 2 == 1)
        {
            Put(packed, values.Length, Nf4.ZeroCode);
        }
        return options.DoubleQuant
            ? new Nf4Tensor((int[])shape.Clone(), values.Length, blockSize, packed, null, QuantizedScales.Quantize(absmax, options.ScaleBlockSize))
            : new Nf4Tensor((int[])shape.Clone(), values.Length, blockSize, packed, absmax, null);
    }

    /// <summary>Writes values [start, start + destination.Length) of the flattened tensor, dequantized, into
    /// <paramref name="destination"/>; split over <see cref="CpuParallel"/> threads when it is large.</summary>
    public unsafe void Dequantize(int start, Span<float> destination)
    {
        if (start < 0 || (long)start + destination.Length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"nf4: values [{start}, {(long)start + destination.Length}) of {Length}");
        }
        var s = Scales;
        fixed (byte* packed = Packed)
        fixed (float* dst = destination, absmax = Absmax, steps = s?.Steps)
        fixed (sbyte* codes = s?.Codes)
        {
            var body = new Nf4DequantizeBody
            {
                Packed = packed, Absmax = absmax, ScaleCodes = codes, ScaleSteps = steps, ScaleMean = s?.Mean ?? 0,
                ScaleBlock = s?.BlockSize ?? 1, BlockSize = BlockSize, Destination = dst, Start = start, Count = destination.Length,
            };
            CpuParallel.For(body.Chunks, body);
        }
    }

    /// <summary>The whole tensor in float32 (tests, and an explicit dequantize-then-merge).</summary>
    public Tensor Dequantize()
    {
        var t = new Tensor(Shape);
        Dequantize(0, t.Span);
        return t;
    }

    private static void Put(byte[] packed, int index, int code)
    {
        ref var b = ref packed[index >> 1];
        b = (index & 1) == 0 ? (byte)((b & 0x0F) | (code << 4)) : (byte)((b & 0xF0) | code);
    }
}
