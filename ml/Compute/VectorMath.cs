using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Pipeline.ML.Compute;

/// <summary>
/// Elementwise float32 loops, vectorised at the widest width the CPU runs at full speed and split over
/// <see cref="CpuParallel"/> in fixed chunks. Every element is computed alone, so the split never changes a result.
/// </summary>
internal static unsafe class VectorMath
{
    /// <summary>Elements per parallel chunk (256 KB of floats): below it a second thread costs more than it saves.
    /// These loops are memory-bound, and a training step runs them on (B·T, C) and (B·T, F) activations of many
    /// megabytes, where one core alone cannot draw the bandwidth two can.</summary>
    internal const int ChunkElements = 1 << 16;

    private enum Kind
    {
        Add,
        AddScaled,
        Multiply,
        Scale,
        Copy,
        Clear,
    }

    // y = a + b
    public static void Add(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Run(Kind.Add, a, b, y, 0f);

    // y += alpha·x
    public static void AddScaled(Span<float> y, ReadOnlySpan<float> x, float alpha) => Run(Kind.AddScaled, x, y, y, alpha);

    // y = a ⊙ b
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Run(Kind.Multiply, a, b, y, 0f);

    // y = alpha·x (x may be y)
    public static void Scale(ReadOnlySpan<float> x, float alpha, Span<float> y) => Run(Kind.Scale, x, x, y, alpha);

    // y = x
    public static void Copy(ReadOnlySpan<float> x, Span<float> y) => Run(Kind.Copy, x, x, y, 0f);

    // y = 0
    public static void Clear(Span<float> y) => Run(Kind.Clear, y, y, y, 0f);

    private static void Run(Kind kind, ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y, float alpha)
    {
        fixed (float* pa = a, pb = b, py = y)
        {
            var body = new Body { Kind = kind, A = pa, B = pb, Y = py, Length = y.Length, Alpha = alpha };
            CpuParallel.For((y.Length + ChunkElements - 1) / ChunkElements, body);
        }
    }

    private struct Body : IParallelBody
    {
        public Kind Kind;
        public float* A;
        public float* B;
        public float* Y;
        public int Length;
        public float Alpha;

        public readonly void Run(int chunk)
        {
            var start = chunk * ChunkElements;
            var n = Math.Min(ChunkElements, Length - start);
            var y = new Span<float>(Y + start, n);
            var a = new ReadOnlySpan<float>(A + start, n);
            var b = new ReadOnlySpan<float>(B + start, n);
            switch (Kind)
            {
                case Kind.Add:
                    AddSerial(a, b, y);
                    break;
                case Kind.AddScaled:
                    AddScaledSerial(y, a, Alpha);
                    break;
                case Kind.Multiply:
                    MultiplySerial(a, b, y);
                    break;
                case Kind.Scale:
                    ScaleSerial(a, Alpha, y);
                    break;
                case Kind.Copy:
                    a.CopyTo(y);
                    break;
                default:
                    y.Clear();
                    break;
            }
        }
    }

    private static void AddSerial(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var ry = ref MemoryMarshal.GetReference(y);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= y.Length - 16; i += 16)
            {
                (Vector512.LoadUnsafe(ref ra, (nuint)i) + Vector512.LoadUnsafe(ref rb, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
            }
        }
        for (; i < y.Length; i++)
        {
            Unsafe.Add(ref ry, i) = Unsafe.Add(ref ra, i) + Unsafe.Add(ref rb, i);
        }
    }

    private static void AddScaledSerial(Span<float> y, ReadOnlySpan<float> x, float alpha)
    {
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(alpha);
            for (; i <= y.Length - 16; i += 16)
            {
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rx, (nuint)i), va, Vector512.LoadUnsafe(ref ry, (nuint)i))
                    .StoreUnsafe(ref ry, (nuint)i);
            }
        }
        for (; i < y.Length; i++)
        {
            Unsafe.Add(ref ry, i) = MathF.FusedMultiplyAdd(Unsafe.Add(ref rx, i), alpha, Unsafe.Add(ref ry, i));
        }
    }

    private static void MultiplySerial(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        ref var ra = ref MemoryMarshal.GetReference(a);
        ref var rb = ref MemoryMarshal.GetReference(b);
        ref var ry = ref MemoryMarshal.GetReference(y);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= y.Length - 16; i += 16)
            {
                (Vector512.LoadUnsafe(ref ra, (nuint)i) * Vector512.LoadUnsafe(ref rb, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
            }
        }
        for (; i < y.Length; i++)
        {
            Unsafe.Add(ref ry, i) = Unsafe.Add(ref ra, i) * Unsafe.Add(ref rb, i);
        }
    }

    private static void ScaleSerial(ReadOnlySpan<float> x, float alpha, Span<float> y)
    {
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var ry = ref MemoryMarshal.GetReference(y);
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(alpha);
            for (; i <= y.Length - 16; i += 16)
            {
                (Vector512.LoadUnsafe(ref rx, (nuint)i) * va).StoreUnsafe(ref ry, (nuint)i);
            }
        }
        for (; i < y.Length; i++)
        {
            Unsafe.Add(ref ry, i) = Unsafe.Add(ref rx, i) * alpha;
        }
    }
}
