using System.Buffers.Binary;
using System.Text;
using Pipeline.ML.IO;

namespace Pipeline.ML.Tests.IO;

/// <summary>The dtypes the writer never produces (F64, I16, I8, U8, BOOL), read from hand-built bytes.</summary>
public sealed class SafeTensorsDecodingTests
{
    [Fact]
    public void ReadInt64_NarrowIntegerDTypes_WidenedWithSign()
    {
        const string header = "{\"b\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]},"
            + "\"i16\":{\"dtype\":\"I16\",\"shape\":[2],\"data_offsets\":[3,7]},"
            + "\"i8\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[7,9]},"
            + "\"u8\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[9,11]}}";
        byte[] data = [0, 1, 7, 0x00, 0x80, 0xFF, 0x7F, 0x80, 0x7F, 0xFF, 0x01];

        using var file = SafeTensorsFile.Read(Concat(header, data));

        Assert.Equal([0L, 1, 1], file.ReadInt64("b"));
        Assert.Equal([-32768L, 32767], file.ReadInt64("i16"));
        Assert.Equal([-128L, 127], file.ReadInt64("i8"));
        Assert.Equal([255L, 1], file.ReadInt64("u8"));
    }

    [Fact]
    public void ReadFloat32_F64_RoundedToNearestFloat()
    {
        const string header = "{\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}";
        var data = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(data, Math.PI);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8), -1e300);

        using var file = SafeTensorsFile.Read(Concat(header, data));

        Assert.Equal([(float)Math.PI, float.NegativeInfinity], file.ReadFloat32("d"));
    }

    private static byte[] Concat(string header, byte[] data)
    {
        var bytes = SafeTensorsBytes.Build(header, data.Length);
        data.CopyTo(bytes, 8 + Encoding.UTF8.GetByteCount(header));
        return bytes;
    }
}
