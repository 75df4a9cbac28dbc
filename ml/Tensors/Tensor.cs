namespace Pipeline.ML.Tensors;

/// <summary>
/// A dense, contiguous, row-major float32 tensor. Model code never indexes a tensor itself: every computation goes
/// through <see cref="Compute.ITensorOps"/>, so a device backend can keep its tensors in device memory. This CPU
/// tensor keeps its elements in a managed array; <see cref="Span"/> is the host view the CPU backend computes on.
/// </summary>
public sealed class Tensor
{
    private readonly float[] _data;

    public Tensor(params int[] shape)
    {
        Shape = CheckShape(shape);
        Length = Count(Shape);
        _data = new float[Length];
    }

    /// <summary>Wraps <paramref name="data"/> (not copied); its length must equal the shape's element count.</summary>
    public Tensor(float[] data, params int[] shape)
    {
        Shape = CheckShape(shape);
        Length = Count(Shape);
        if (data.Length != Length)
        {
            throw new ArgumentException(
                $"tensor data has {data.Length} elements but shape [{string.Join(", ", shape)}] needs {Length}");
        }
        _data = data;
    }

    public int[] Shape { get; }

    public int Rank => Shape.Length;

    public int Length { get; }

    public Span<float> Span => _data.AsSpan(0, Length);

    /// <summary>The backing array, for zero-copy hand-off to writers; same elements as <see cref="Span"/>.</summary>
    public float[] Array => _data;

    public int Dim(int axis) => Shape[axis < 0 ? Shape.Length + axis : axis];

    public void Clear() => Span.Clear();

    public Tensor Clone() => new((float[])_data.Clone(), (int[])Shape.Clone());

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";

    public override string ToString() => $"Tensor{ShapeText}";

    private static int[] CheckShape(int[] shape)
    {
        foreach (var d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentException($"tensor shape [{string.Join(", ", shape)}] has a negative dimension");
            }
        }
        return (int[])shape.Clone();
    }

    private static int Count(int[] shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            n *= d;
            if (n > System.Array.MaxLength)
            {
                throw new ArgumentException($"tensor shape [{string.Join(", ", shape)}] is too large");
            }
        }
        return (int)n;
    }
}
