using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipeline.ML.IO;

/// <summary>Collects named tensors and writes them as one safetensors file. Layout follows the reference writer:
/// "__metadata__" first, then tensors sorted by name (ordinal) with contiguous data_offsets in that order, and the
/// header padded with spaces to a multiple of 8 bytes so the data buffer starts 8-aligned.</summary>
public sealed class SafeTensorsWriter
{
    private readonly SortedDictionary<string, (DType DType, long[] Shape, byte[] Data)> _tensors = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _metadata = new(StringComparer.Ordinal);

    /// <summary>Adds float data stored as F32 (default), F16 or BF16 (round to nearest even). The data is
    /// encoded now: later changes to <paramref name="data"/> are not written.</summary>
    public SafeTensorsWriter Add(string name, float[] data, long[] shape, DType dtype = DType.F32)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (dtype is not (DType.F32 or DType.F16 or DType.BF16))
        {
            throw new ArgumentException($"tensor '{name}': float data is stored as F32, F16 or BF16, not {DTypes.Name(dtype)}", nameof(dtype));
        }

        CheckShape(name, shape, data.Length);
        var size = DTypes.Size(dtype);
        var bytes = new byte[data.Length * size];
        for (var i = 0; i < data.Length; i++)
        {
            var slot = bytes.AsSpan(i * size);
            switch (dtype)
            {
                case DType.F32: BinaryPrimitives.WriteSingleLittleEndian(slot, data[i]); break;
                case DType.F16: BinaryPrimitives.WriteHalfLittleEndian(slot, (Half)data[i]); break;
                default: BinaryPrimitives.WriteUInt16LittleEndian(slot, TensorDecoding.ToBFloat16(data[i])); break;
            }
        }

        return Put(name, dtype, shape, bytes);
    }

    /// <summary>Adds int64 data as I64.</summary>
    public SafeTensorsWriter Add(string name, long[] data, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(name, shape, data.Length);
        var bytes = new byte[data.Length * 8];
        for (var i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * 8), data[i]);
        }

        return Put(name, DType.I64, shape, bytes);
    }

    /// <summary>Adds int32 data as I32.</summary>
    public SafeTensorsWriter Add(string name, int[] data, long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckShape(name, shape, data.Length);
        var bytes = new byte[data.Length * 4];
        for (var i = 0; i < data.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), data[i]);
        }

        return Put(name, DType.I32, shape, bytes);
    }

    /// <summary>Sets one "__metadata__" entry (string to string, as the format allows).</summary>
    public SafeTensorsWriter SetMetadata(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        _metadata[key] = value;
        return this;
    }

    /// <summary>Writes to <paramref name="path"/> atomically: a temporary file beside it, flushed to disk, then
    /// renamed over the target, so a reader never sees a half-written checkpoint.</summary>
    public void WriteToFile(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = Header();
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var (_, tensor) in _tensors)
        {
            stream.Write(tensor.Data);
        }
    }

    /// <summary>The file's bytes, for tests and small in-memory checkpoints.</summary>
    public byte[] ToArray()
    {
        using var stream = new MemoryStream();
        WriteTo(stream);
        return stream.ToArray();
    }

    private byte[] Header()
    {
        using var buffer = new MemoryStream();
        // Relaxed escaping keeps names like "model.layers.0.mlp" and non-ASCII metadata readable; it is still valid JSON.
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (_metadata.Count > 0)
            {
                json.WriteStartObject(SafeTensorsHeader.MetadataKey);
                foreach (var (key, value) in _metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var (name, tensor) in _tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", DTypes.Name(tensor.DType));
                WriteArray(json, "shape", tensor.Shape);
                WriteArray(json, "data_offsets", [offset, offset + tensor.Data.Length]);
                json.WriteEndObject();
                offset += tensor.Data.Length;
            }

            json.WriteEndObject();
        }

        var padded = (buffer.Length + 7) / 8 * 8;
        while (buffer.Length < padded)
        {
            buffer.WriteByte((byte)' ');
        }

        return buffer.ToArray();
    }

    private static void WriteArray(Utf8JsonWriter json, string field, long[] values)
    {
        json.WriteStartArray(field);
        foreach (var value in values)
        {
            json.WriteNumberValue(value);
        }

        json.WriteEndArray();
    }

    private SafeTensorsWriter Put(string name, DType dtype, long[] shape, byte[] data)
    {
        if (!_tensors.TryAdd(name, (dtype, (long[])shape.Clone(), data)))
        {
            throw new ArgumentException($"tensor '{name}' was already added", nameof(name));
        }

        return this;
    }

    private void CheckShape(string name, long[] shape, int length)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (name == SafeTensorsHeader.MetadataKey)
        {
            throw new ArgumentException($"'{SafeTensorsHeader.MetadataKey}' is reserved for metadata and cannot name a tensor", nameof(name));
        }

        // Int128 cannot overflow here: the running product is clamped to length + 1 (< 2^31) before each multiply.
        Int128 product = 1;
        foreach (var dim in shape)
        {
            if (dim < 0)
            {
                throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", shape)}] has a negative dimension", nameof(shape));
            }

            product = Int128.Min(product * dim, (Int128)length + 1);
        }

        if (product != length)
        {
            throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", shape)}] holds {(product > length ? $"more than {length}" : product)} elements but the data has {length}", nameof(shape));
        }
    }
}
