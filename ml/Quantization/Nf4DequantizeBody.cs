using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Pipeline.ML.Compute;

namespace Pipeline.ML.Quantization;

/// <summary>
/// One chunk of <see cref="Nf4Tensor.Dequantize(int, Span{float})"/>: values [Start, Start + Count) of the flattened
/// tensor into Destination, value = level(code)·absmax(block). Every value depends only on its code and its block's
/// constant, so the result is the same for any thread count.
/// </summary>
internal unsafe struct Nf4DequantizeBody : IParallelBody
{
    public byte* Packed;
    public float* Absmax;        // float32 constants, or null when double-quantized
    public sbyte* ScaleCodes;    // double-quantized constants: mean + code·step
    public float* ScaleSteps;
    public float ScaleMean;
    public int ScaleBlock;
    public int BlockSize;
    public float* Destination;
    public int Start;
    public int Count;

    private const int ChunkValues = 1 << 14;

    public readonly int Chunks => (Count + ChunkValues - 1) / ChunkValues;

    public readonly void Run(int chunk)
    {
        var levels = Nf4.Table;
        var end = Start + Math.Min(Count, (chunk + 1) * ChunkValues);
        var i = Start + chunk * ChunkValues;
        while (i < end)
        {
            var block = i / BlockSize;
            var blockEnd = Math.Min(end, (block + 1) * BlockSize);
            var scale = Absmax != null ? Absmax[block] : ScaleMean + ScaleCodes[block] * ScaleSteps[block / ScaleBlock];
            var dst = Destination - Start;
            if ((i & 1) == 1)
            {
                dst[i] = levels[Packed[i >> 1] & 0xF] * scale;
                i++;
            }
            if (Avx512F.IsSupported)
            {
                i = Run512(i, blockEnd, scale, dst);
            }
            for (; i + 1 < blockEnd; i += 2)
            {
                var b = Packed[i >> 1];
                dst[i] = levels[b >> 4] * scale;
                dst[i + 1] = levels[b & 0xF] * scale;
            }
            if (i < blockEnd)
            {
                dst[i] = levels[Packed[i >> 1] >> 4] * scale;
                i++;
            }
        }
    }

    // 32 values (16 bytes) a step from an even index i: split each byte into its high and low nibble, interleave them
    // back into value order, widen to int32 and look the 16 levels up with one permute per 16 values.
    private readonly int Run512(int i, int end, float scale, float* dst)
    {
        var table = Vector512.Create(Nf4.Table);
        var vscale = Vector512.Create(scale);
        var low = Vector128.Create((byte)0x0F);
        for (; i + 32 <= end; i += 32)
        {
            var bytes = Vector128.Load(Packed + (i >> 1));
            var hi = Vector128.ShiftRightLogical(bytes.AsUInt16(), 4).AsByte() & low;
            var lo = bytes & low;
            var first = Avx512F.ConvertToVector512Int32(Sse2.UnpackLow(hi, lo));
            var second = Avx512F.ConvertToVector512Int32(Sse2.UnpackHigh(hi, lo));
            (Avx512F.PermuteVar16x32(table, first) * vscale).Store(dst + i);
            (Avx512F.PermuteVar16x32(table, second) * vscale).Store(dst + i + 16);
        }
        return i;
    }
}
