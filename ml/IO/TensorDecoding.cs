using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Pipeline.ML.IO;

/// <summary>Little-endian element decoding; the caller has already sized <c>source</c> to count × dtype size.</summary>
internal static class TensorDecoding
{
    public static void ToFloat32(DType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case DType.F32 when BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case DType.F32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(i * 4)..]);
                }

                break;
            case DType.F16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source[(i * 2)..]);
                }

                break;
            case DType.BF16:
                // bfloat16 is the top half of a float32: widening is a 16-bit shift, exact.
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BitConverter.UInt32BitsToSingle((uint)BinaryPrimitives.ReadUInt16LittleEndian(source[(i * 2)..]) << 16);
                }

                break;
            case DType.F64:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(source[(i * 8)..]);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a floating-point dtype");
        }
    }

    public static void ToInt64(DType dtype, ReadOnlySpan<byte> source, Span<long> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            destination[i] = dtype switch
            {
                DType.I64 => BinaryPrimitives.ReadInt64LittleEndian(source[(i * 8)..]),
                DType.I32 => BinaryPrimitives.ReadInt32LittleEndian(source[(i * 4)..]),
                DType.I16 => BinaryPrimitives.ReadInt16LittleEndian(source[(i * 2)..]),
                DType.I8 => (sbyte)source[i],
                DType.U8 => source[i],
                // Any non-zero byte is true, as numpy and torch read it.
                DType.Bool => source[i] != 0 ? 1 : 0,
                _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not an integer dtype"),
            };
        }
    }

    /// <summary>F32 → bfloat16, round to nearest even (as torch does); NaN stays a quiet NaN.</summary>
    public static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x0040);
        }

        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }
}
