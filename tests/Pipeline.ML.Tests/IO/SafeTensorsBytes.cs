using System.Buffers.Binary;
using System.Text;

namespace Pipeline.ML.Tests.IO;

/// <summary>Builds raw safetensors bytes from a header string, bypassing the writer, so tests can say anything.</summary>
internal static class SafeTensorsBytes
{
    public static byte[] Build(string headerJson, int dataLength) => Build(Encoding.UTF8.GetBytes(headerJson), dataLength);

    public static byte[] Build(byte[] header, int dataLength)
    {
        var bytes = new byte[8 + header.Length + dataLength];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        for (var i = 0; i < dataLength; i++)
        {
            bytes[8 + header.Length + i] = (byte)(i * 37 + 11);
        }

        return bytes;
    }
}
