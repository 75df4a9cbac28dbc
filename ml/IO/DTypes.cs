namespace Pipeline.ML.IO;

/// <summary>Sizes and header spellings of <see cref="DType"/>.</summary>
public static class DTypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(DType dtype) => dtype switch
    {
        DType.F64 or DType.I64 => 8,
        DType.F32 or DType.I32 => 4,
        DType.F16 or DType.BF16 or DType.I16 => 2,
        DType.I8 or DType.U8 or DType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>The header spelling: "F32", "BF16", "BOOL", …</summary>
    public static string Name(DType dtype) => dtype == DType.Bool ? "BOOL" : dtype.ToString();

    /// <summary>Parses a header spelling exactly (case-sensitive, as the reference implementation does).</summary>
    public static bool TryParse(string? name, out DType dtype)
    {
        dtype = name switch
        {
            "F64" => DType.F64,
            "F32" => DType.F32,
            "F16" => DType.F16,
            "BF16" => DType.BF16,
            "I64" => DType.I64,
            "I32" => DType.I32,
            "I16" => DType.I16,
            "I8" => DType.I8,
            "U8" => DType.U8,
            "BOOL" => DType.Bool,
            _ => (DType)(-1),
        };
        return (int)dtype >= 0;
    }

    /// <summary>True for the types <c>ReadFloat32</c> converts from.</summary>
    public static bool IsFloat(DType dtype) => dtype is DType.F64 or DType.F32 or DType.F16 or DType.BF16;
}
