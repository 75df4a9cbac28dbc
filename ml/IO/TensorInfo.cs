namespace Pipeline.ML.IO;

/// <summary>One tensor's header entry. <paramref name="Begin"/> and <paramref name="End"/> are byte offsets into the
/// data buffer (which starts right after the header), as in the file's "data_offsets".</summary>
public sealed record TensorInfo(string Name, DType DType, long[] Shape, long Begin, long End)
{
    /// <summary>Product of <see cref="Shape"/>; 1 for a scalar (shape []).</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dim in Shape)
            {
                count *= dim;
            }

            return count;
        }
    }

    public long ByteLength => End - Begin;

    public override string ToString() => $"{Name}: {DTypes.Name(DType)}[{string.Join(", ", Shape)}] @ [{Begin}, {End})";
}
