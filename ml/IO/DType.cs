namespace Pipeline.ML.IO;

/// <summary>Element types a safetensors file may hold; the header spells them as in <see cref="DTypes.Name"/>.</summary>
public enum DType
{
    F64,
    F32,
    F16,
    BF16,
    I64,
    I32,
    I16,
    I8,
    U8,
    Bool,
}
