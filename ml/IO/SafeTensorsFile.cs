using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Pipeline.ML.IO;

/// <summary>A parsed, validated safetensors file (https://github.com/huggingface/safetensors#format): an 8-byte
/// little-endian header length N, N bytes of UTF-8 JSON, then the data buffer. A checkpoint is untrusted input:
/// opening validates the whole header against the actual file size, and every read is bounded by the data buffer
/// whatever the header says. Files are read with positional reads, not loaded whole.</summary>
public sealed class SafeTensorsFile : IDisposable
{
    private const string MemorySource = "<memory>";

    private readonly SafeFileHandle? _handle;
    private readonly byte[]? _memory;
    private readonly long _dataStart;
    private readonly long _dataLength;

    private SafeTensorsFile(string source, SafeFileHandle? handle, byte[]? memory, long dataStart, long dataLength, SafeTensorsHeader header)
    {
        Source = source;
        _handle = handle;
        _memory = memory;
        _dataStart = dataStart;
        _dataLength = dataLength;
        Tensors = header.Tensors;
        Metadata = header.Metadata;
    }

    /// <summary>The file path, or "&lt;memory&gt;"; every error message starts with it.</summary>
    public string Source { get; }

    public IReadOnlyDictionary<string, TensorInfo> Tensors { get; }

    /// <summary>The header's "__metadata__" map; empty when absent.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public static SafeTensorsFile Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            var fileLength = RandomAccess.GetLength(handle);
            Span<byte> prefix = stackalloc byte[8];
            ReadExactly(handle, prefix, 0, path, "the 8-byte header length");
            var headerLength = LengthPrefix(prefix, fileLength, path);
            var json = new byte[headerLength];
            ReadExactly(handle, json, 8, path, "the header");
            var header = SafeTensorsHeader.Parse(json, fileLength - 8 - headerLength, path);
            return new SafeTensorsFile(path, handle, null, 8 + headerLength, fileLength - 8 - headerLength, header);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Parses a copy of <paramref name="bytes"/>; later changes to the caller's buffer are not seen.</summary>
    public static SafeTensorsFile Read(ReadOnlySpan<byte> bytes) => FromMemory(bytes.ToArray());

    /// <summary>Reads <paramref name="stream"/> to its end into memory and parses it.</summary>
    public static SafeTensorsFile Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return FromMemory(copy.ToArray());
    }

    public TensorInfo GetInfo(string name) =>
        Tensors.TryGetValue(name, out var info)
            ? info
            : throw new SafeTensorsFormatException($"{Source}: no tensor '{name}' (the file holds {Tensors.Count}: {Describe(Tensors.Keys)})");

    /// <summary>The tensor as float32, converted from F32 (bit-exact), F16, BF16 (exact) or F64 (rounded).</summary>
    public float[] ReadFloat32(string name)
    {
        var info = Expect(name, DTypes.IsFloat, "F32, F16, BF16 or F64", nameof(ReadFloat32));
        var values = new float[ElementCount(info)];
        if (info.DType == DType.F32 && BitConverter.IsLittleEndian)
        {
            ReadData(info, MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        var raw = new byte[info.ByteLength];
        ReadData(info, raw);
        TensorDecoding.ToFloat32(info.DType, raw, values);
        return values;
    }

    /// <summary>The tensor as int64, widened from I64, I32, I16, I8, U8 or BOOL (0/1).</summary>
    public long[] ReadInt64(string name)
    {
        var info = Expect(name, d => !DTypes.IsFloat(d), "I64, I32, I16, I8, U8 or BOOL", nameof(ReadInt64));
        var values = new long[ElementCount(info)];
        if (info.DType == DType.I64 && BitConverter.IsLittleEndian)
        {
            ReadData(info, MemoryMarshal.AsBytes(values.AsSpan()));
            return values;
        }

        var raw = new byte[info.ByteLength];
        ReadData(info, raw);
        TensorDecoding.ToInt64(info.DType, raw, values);
        return values;
    }

    public void Dispose() => _handle?.Dispose();

    private static SafeTensorsFile FromMemory(byte[] bytes)
    {
        if (bytes.Length < 8)
        {
            throw new SafeTensorsFormatException($"{MemorySource}: {bytes.Length} bytes is too short for the 8-byte header length");
        }

        var headerLength = LengthPrefix(bytes.AsSpan(0, 8), bytes.Length, MemorySource);
        var dataLength = bytes.Length - 8 - headerLength;
        var header = SafeTensorsHeader.Parse(bytes.AsSpan(8, (int)headerLength), dataLength, MemorySource);
        return new SafeTensorsFile(MemorySource, null, bytes, 8 + headerLength, dataLength, header);
    }

    private static long LengthPrefix(ReadOnlySpan<byte> prefix, long fileLength, string source) =>
        SafeTensorsHeader.CheckLength(BinaryPrimitives.ReadUInt64LittleEndian(prefix), fileLength, source);

    private TensorInfo Expect(string name, Func<DType, bool> accepts, string expected, string method)
    {
        var info = GetInfo(name);
        return accepts(info.DType)
            ? info
            : throw new SafeTensorsFormatException($"{Source}: tensor '{name}' has dtype {DTypes.Name(info.DType)}; {method} expects {expected}");
    }

    private int ElementCount(TensorInfo info)
    {
        var count = info.ElementCount;
        return count <= Array.MaxLength
            ? (int)count
            : throw new SafeTensorsFormatException($"{Source}: tensor '{info.Name}' has {count} elements, more than one array can hold ({Array.MaxLength})");
    }

    /// <summary>Copies the tensor's bytes into <paramref name="destination"/> (exactly ByteLength long). The header was
    /// validated against the data length at open; the bound is checked again here so no header can steer a read.</summary>
    private void ReadData(TensorInfo info, Span<byte> destination)
    {
        if (info.Begin < 0 || info.End > _dataLength || destination.Length != info.ByteLength)
        {
            throw new SafeTensorsFormatException($"{Source}: tensor '{info.Name}' [{info.Begin}, {info.End}] lies outside the {_dataLength}-byte data buffer");
        }

        if (_memory is not null)
        {
            _memory.AsSpan(checked((int)(_dataStart + info.Begin)), destination.Length).CopyTo(destination);
            return;
        }

        ObjectDisposedException.ThrowIf(_handle is null || _handle.IsClosed, this);
        ReadExactly(_handle, destination, _dataStart + info.Begin, Source, $"tensor '{info.Name}'");
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset, string source, string what)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                // Only reachable if the file shrank after it was opened and validated.
                throw new SafeTensorsFormatException($"{source}: file ended at byte {offset} while reading {what}");
            }

            destination = destination[read..];
            offset += read;
        }
    }

    private static string Describe(IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.Ordinal).Take(10).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list.Select(n => $"'{n}'")) + (list.Count == 10 ? ", …" : "");
    }
}
