using System.Text.Json;
using System.Text.Unicode;

namespace Pipeline.ML.IO;

/// <summary>Parses and validates the JSON header against the size of the data buffer. Every rule the reference
/// implementation (huggingface/safetensors, <c>SafeTensors::deserialize</c> + <c>Metadata::validate</c>) enforces is
/// enforced here, plus duplicate names, which the reference silently resolves last-wins.</summary>
internal sealed class SafeTensorsHeader
{
    /// <summary>The reference's MAX_HEADER_SIZE: a bigger header is rejected before it is read.</summary>
    public const long MaxHeaderLength = 100_000_000;

    public const string MetadataKey = "__metadata__";

    private SafeTensorsHeader(Dictionary<string, TensorInfo> tensors, Dictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    public Dictionary<string, TensorInfo> Tensors { get; }

    public Dictionary<string, string> Metadata { get; }

    /// <summary>Checks the 8-byte prefix against the file length; returns N.</summary>
    public static long CheckLength(ulong headerLength, long fileLength, string source)
    {
        if (headerLength > MaxHeaderLength)
        {
            throw Error(source, $"header length {headerLength} exceeds the {MaxHeaderLength}-byte limit");
        }

        if ((long)headerLength > fileLength - 8)
        {
            throw Error(source, $"header length {headerLength} exceeds the {fileLength - 8} bytes that follow the length prefix");
        }

        return (long)headerLength;
    }

    public static SafeTensorsHeader Parse(ReadOnlySpan<byte> json, long dataLength, string source)
    {
        // The reference rejects a header that does not open with '{' (InvalidHeaderStart) before parsing it.
        if (json.IsEmpty || json[0] != (byte)'{')
        {
            throw Error(source, $"header must start with '{{', found {(json.IsEmpty ? "an empty header" : $"byte 0x{json[0]:X2}")}");
        }

        // JsonDocument defers UTF-8 validation of strings to GetString(), so check the whole header up front.
        if (!Utf8.IsValid(json))
        {
            throw Error(source, "header is not valid UTF-8 JSON: invalid UTF-8 byte sequence");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw new SafeTensorsFormatException($"{source}: header is not valid UTF-8 JSON: {e.Message}", e);
        }

        using (document)
        {
            return FromRoot(document.RootElement, dataLength, source);
        }
    }

    private static SafeTensorsHeader FromRoot(JsonElement root, long dataLength, string source)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, $"header must be a JSON object, found {root.ValueKind}");
        }

        var tensors = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
        Dictionary<string, string>? metadata = null;
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name == MetadataKey)
            {
                metadata = metadata is null ? ParseMetadata(property.Value, source) : throw Error(source, $"duplicate key \"{MetadataKey}\"");
            }
            else if (!tensors.TryAdd(property.Name, ParseTensor(property.Name, property.Value, source)))
            {
                throw Error(source, $"tensor '{property.Name}' appears more than once in the header");
            }
        }

        CheckLayout(tensors.Values, dataLength, source);
        return new SafeTensorsHeader(tensors, metadata ?? new Dictionary<string, string>(StringComparer.Ordinal));
    }

    private static Dictionary<string, string> ParseMetadata(JsonElement element, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, $"\"{MetadataKey}\" must be an object of string to string, found {element.ValueKind}");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw Error(source, $"\"{MetadataKey}\" value for key '{entry.Name}' must be a string, found {entry.Value.ValueKind}");
            }

            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
            {
                throw Error(source, $"\"{MetadataKey}\" key '{entry.Name}' appears more than once");
            }
        }

        return metadata;
    }

    private static TensorInfo ParseTensor(string name, JsonElement element, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(source, $"tensor '{name}': entry must be an object with dtype, shape and data_offsets, found {element.ValueKind}");
        }

        var dtypeText = Field(element, "dtype", JsonValueKind.String, name, source).GetString();
        if (!DTypes.TryParse(dtypeText, out var dtype))
        {
            throw Error(source, $"tensor '{name}': unknown dtype \"{dtypeText}\", expected one of F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL");
        }

        var shape = Integers(Field(element, "shape", JsonValueKind.Array, name, source), "shape", name, source);
        var offsets = Integers(Field(element, "data_offsets", JsonValueKind.Array, name, source), "data_offsets", name, source);
        if (offsets.Length != 2 || offsets[0] > offsets[1])
        {
            throw Error(source, $"tensor '{name}': data_offsets must be two ascending integers [begin, end], found [{string.Join(", ", offsets)}]");
        }

        long expectedBytes;
        try
        {
            long count = 1;
            foreach (var dim in shape)
            {
                count = checked(count * dim);
            }

            expectedBytes = checked(count * DTypes.Size(dtype));
        }
        catch (OverflowException)
        {
            throw Error(source, $"tensor '{name}': shape [{string.Join(", ", shape)}] of {DTypes.Name(dtype)} overflows a 64-bit byte count");
        }

        if (offsets[1] - offsets[0] != expectedBytes)
        {
            throw Error(source, $"tensor '{name}': data_offsets span {offsets[1] - offsets[0]} bytes, expected {expectedBytes} for {DTypes.Name(dtype)}[{string.Join(", ", shape)}]");
        }

        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static JsonElement Field(JsonElement entry, string field, JsonValueKind kind, string name, string source)
    {
        if (!entry.TryGetProperty(field, out var value))
        {
            throw Error(source, $"tensor '{name}': missing \"{field}\"");
        }

        return value.ValueKind == kind ? value : throw Error(source, $"tensor '{name}': \"{field}\" must be {kind}, found {value.ValueKind}");
    }

    private static long[] Integers(JsonElement array, string field, string name, string source)
    {
        var values = new long[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var value) || value < 0)
            {
                throw Error(source, $"tensor '{name}': \"{field}\"[{i}] must be a non-negative integer, found {item.GetRawText()}");
            }

            values[i++] = value;
        }

        return values;
    }

    /// <summary>The reference's validate(): sorted by offsets, the tensors must tile the data buffer exactly —
    /// no overlap, no hole, nothing left over at the end.</summary>
    private static void CheckLayout(IEnumerable<TensorInfo> tensors, long dataLength, string source)
    {
        TensorInfo? previous = null;
        long expectedBegin = 0;
        foreach (var tensor in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (tensor.End > dataLength)
            {
                throw Error(source, $"tensor '{tensor.Name}': data_offsets [{tensor.Begin}, {tensor.End}] run past the {dataLength}-byte data buffer");
            }

            if (tensor.Begin < expectedBegin)
            {
                throw Error(source, $"tensor '{tensor.Name}': data_offsets [{tensor.Begin}, {tensor.End}] overlap tensor '{previous!.Name}' [{previous.Begin}, {previous.End}]");
            }

            if (tensor.Begin > expectedBegin)
            {
                throw Error(source, $"tensor '{tensor.Name}': data_offsets begin at {tensor.Begin}, expected {expectedBegin} (a hole of {tensor.Begin - expectedBegin} bytes; tensors must cover the data buffer contiguously)");
            }

            previous = tensor;
            expectedBegin = tensor.End;
        }

        if (expectedBegin != dataLength)
        {
            throw Error(source, $"tensors cover {expectedBegin} bytes but the data buffer holds {dataLength} (trailing bytes belong to no tensor)");
        }
    }

    private static SafeTensorsFormatException Error(string source, string what) => new($"{source}: {what}");
}
