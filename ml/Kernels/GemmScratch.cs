using System.Runtime.InteropServices;

namespace Pipeline.ML.Kernels;

/// <summary>
/// Per-thread packing buffers, 64-byte aligned (a zmm load never splits a cache line) and reused by every gemm
/// on the thread, so a call allocates nothing once the buffers have grown to the largest block seen. Freed by
/// the finalizer when the thread (and so its <see cref="Current"/>) is gone.
/// </summary>
internal sealed unsafe class GemmScratch
{
    [ThreadStatic]
    private static GemmScratch? _current;

    private Buffer _a;
    private Buffer _b;
    private Buffer _tile;
    private Buffer _row;

    public static GemmScratch Current => _current ??= new GemmScratch();

    /// <summary>Space for the packed A block.</summary>
    public float* A(nint floats) => _a.Ensure(floats);

    /// <summary>Space for the packed B block.</summary>
    public float* B(nint floats) => _b.Ensure(floats);

    /// <summary>Space for one C tile: ragged edge tiles are computed here, then merged into C.</summary>
    public float* Tile(nint floats) => _tile.Ensure(floats);

    /// <summary>Space for one row of op(A) gathered from a transposed A (the direct path).</summary>
    public float* Row(nint floats) => _row.Ensure(floats);

    ~GemmScratch()
    {
        _a.Free();
        _b.Free();
        _tile.Free();
        _row.Free();
    }

    private struct Buffer
    {
        private float* _data;
        private nint _capacity;

        public float* Ensure(nint floats)
        {
            if (floats > _capacity)
            {
                Free();
                _data = (float*)NativeMemory.AlignedAlloc((nuint)(floats * sizeof(float)), 64);
                _capacity = floats;
            }
            return _data;
        }

        public void Free()
        {
            NativeMemory.AlignedFree(_data);
            _data = null;
            _capacity = 0;
        }
    }
}
