using System.Buffers.Binary;
using Pipeline.ML.IO;

namespace Pipeline.ML.Tests.IO;

/// <summary>Every way a header can lie yields a <see cref="SafeTensorsFormatException"/> whose message names the
/// source, the tensor or field, and what was expected against what was found.</summary>
public sealed class SafeTensorsMalformedTests
{
    private const string W = "\"dtype\":\"F32\",\"shape\":[2]";

    public static TheoryData<string, int, string[]> BadHeaders => new()
    {
        { "{\"w\":{" + W + ",\"data_offsets\":[0,8]}", 8, ["not valid UTF-8 JSON"] },
        { "[1,2]", 0, ["must start with '{'", "0x5B"] },
        { " {}", 0, ["must start with '{'", "0x20"] },
        { "{\"w\":[1]}", 0, ["'w'", "must be an object", "Array"] },
        { "{\"w\":{\"dtype\":\"F8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2, ["'w'", "unknown dtype \"F8\"", "expected one of"] },
        { "{\"w\":{\"dtype\":\"f32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, ["'w'", "unknown dtype \"f32\""] },
        { "{\"w\":{\"dtype\":3,\"shape\":[2],\"data_offsets\":[0,8]}}", 8, ["'w'", "\"dtype\" must be String", "Number"] },
        { "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, ["'w'", "missing \"dtype\""] },
        { "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", 8, ["'w'", "missing \"shape\""] },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}", 8, ["'w'", "missing \"data_offsets\""] },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, ["'w'", "\"shape\"[0]", "non-negative integer", "-2"] },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8, ["'w'", "\"shape\"[0]", "2.5"] },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[1,\"2\"],\"data_offsets\":[0,8]}}", 8, ["'w'", "\"shape\"[1]", "\"2\""] },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8, ["'w'", "overflows"] },
        { "{\"w\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,8]}}", 8, ["'w'", "overflows"] },
        { "{\"w\":{" + W + ",\"data_offsets\":[0]}}", 8, ["'w'", "two ascending integers", "found [0]"] },
        { "{\"w\":{" + W + ",\"data_offsets\":[0,8,8]}}", 8, ["'w'", "two ascending integers"] },
        { "{\"w\":{" + W + ",\"data_offsets\":[8,0]}}", 8, ["'w'", "two ascending integers", "found [8, 0]"] },
        { "{\"w\":{" + W + ",\"data_offsets\":[0,18446744073709551615]}}", 8, ["'w'", "\"data_offsets\"[1]", "non-negative integer"] },
        { "{\"w\":{" + W + ",\"data_offsets\":[0,12]}}", 12, ["'w'", "span 12 bytes, expected 8", "F32[2]"] },
        { "{\"w\":{" + W + ",\"data_offsets\":[8,16]}}", 8, ["'w'", "[8, 16]", "run past the 8-byte data buffer"] },
        { "{\"a\":{" + W + ",\"data_offsets\":[0,8]},\"b\":{" + W + ",\"data_offsets\":[4,12]}}", 12, ["'b'", "overlap tensor 'a'", "[0, 8]"] },
        { "{\"a\":{" + W + ",\"data_offsets\":[0,8]},\"b\":{" + W + ",\"data_offsets\":[0,8]}}", 8, ["'b'", "overlap tensor 'a'"] },
        { "{\"a\":{" + W + ",\"data_offsets\":[0,8]},\"b\":{" + W + ",\"data_offsets\":[12,20]}}", 20, ["'b'", "begin at 12, expected 8", "hole of 4 bytes"] },
        { "{\"w\":{" + W + ",\"data_offsets\":[4,12]}}", 12, ["'w'", "begin at 4, expected 0"] },
        { "{\"w\":{" + W + ",\"data_offsets\":[0,8]}}", 11, ["cover 8 bytes", "holds 11"] },
        { "{\"w\":{" + W + ",\"data_offsets\":[0,8]},\"w\":{" + W + ",\"data_offsets\":[8,16]}}", 16, ["'w'", "more than once"] },
        { "{\"__metadata__\":{\"step\":3}}", 0, ["__metadata__", "'step'", "must be a string", "Number"] },
        { "{\"__metadata__\":[\"a\"]}", 0, ["__metadata__", "must be an object", "Array"] },
        { "{\"__metadata__\":{\"k\":\"a\",\"k\":\"b\"}}", 0, ["__metadata__", "'k'", "more than once"] },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void Read_MalformedHeader_ThrowsNamingFieldAndExpectation(string header, int dataLength, string[] fragments)
    {
        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Read(SafeTensorsBytes.Build(header, dataLength)));

        Assert.StartsWith("<memory>: ", error.Message);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message);
        }
    }

    [Fact]
    public void Read_HeaderNotUtf8_Throws()
    {
        byte[] header = [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'];

        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Read(SafeTensorsBytes.Build(header, 0)));

        Assert.Contains("not valid UTF-8 JSON", error.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void Read_ShorterThanLengthPrefix_Throws(int length)
    {
        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Read(new byte[length]));

        Assert.Contains($"{length} bytes is too short", error.Message);
    }

    [Theory]
    [InlineData(100_000_001UL, "exceeds the 100000000-byte limit")]
    [InlineData(ulong.MaxValue, "exceeds the 100000000-byte limit")]
    [InlineData(30UL, "header length 30 exceeds the 10 bytes")]
    public void Read_HeaderLengthTooLarge_Throws(ulong declared, string fragment)
    {
        var bytes = SafeTensorsBytes.Build("{}        ", 0);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declared);

        var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Read(bytes));

        Assert.Contains(fragment, error.Message);
    }

    [Fact]
    public void Open_MalformedFile_MessageNamesPath()
    {
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.safetensors");
        File.WriteAllBytes(path, SafeTensorsBytes.Build("{\"w\":{\"dtype\":\"Q4\",\"shape\":[],\"data_offsets\":[0,0]}}", 0));
        try
        {
            var error = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsFile.Open(path));

            Assert.StartsWith(path + ": ", error.Message);
            Assert.Contains("'w'", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ReadFloat32_IntegerTensor_ThrowsNamingDType()
    {
        using var file = SafeTensorsFile.Read(new SafeTensorsWriter().Add("ids", [1L], [1]).ToArray());

        var error = Assert.Throws<SafeTensorsFormatException>(() => file.ReadFloat32("ids"));

        Assert.Contains("'ids' has dtype I64", error.Message);
        Assert.Contains("ReadFloat32 expects F32, F16, BF16 or F64", error.Message);
    }

    [Fact]
    public void ReadInt64_FloatTensor_ThrowsNamingDType()
    {
        using var file = SafeTensorsFile.Read(new SafeTensorsWriter().Add("w", [1f], [1], DType.BF16).ToArray());

        var error = Assert.Throws<SafeTensorsFormatException>(() => file.ReadInt64("w"));

        Assert.Contains("'w' has dtype BF16", error.Message);
    }

    [Fact]
    public void ReadFloat32_UnknownName_ThrowsListingNames()
    {
        using var file = SafeTensorsFile.Read(new SafeTensorsWriter().Add("w", [1f], [1]).ToArray());

        var error = Assert.Throws<SafeTensorsFormatException>(() => file.ReadFloat32("v"));

        Assert.Contains("no tensor 'v'", error.Message);
        Assert.Contains("'w'", error.Message);
    }
}
