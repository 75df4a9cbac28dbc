using System.Buffers.Binary;
using System.Text;
using Pipeline.ML.IO;

namespace Pipeline.ML.Tests.IO;

/// <summary>Checks against fixtures/tiny.safetensors, written from the spec by hand (see fixtures/README.md).</summary>
public sealed class SafeTensorsGoldenTests
{
    private static readonly string FixturePath = Path.Combine(AppContext.BaseDirectory, "fixtures", "tiny.safetensors");

    [Fact]
    public void Open_HandWrittenFixture_ParsesHeaderAndValues()
    {
        using var file = SafeTensorsFile.Open(FixturePath);

        Assert.Equal(["a", "b", "c", "d"], file.Tensors.Keys.Order());
        Assert.Equal(new Dictionary<string, string> { ["format"] = "pt" }, file.Metadata);
        Assert.Equal(new TensorInfo("b", DType.BF16, [1, 2], 8, 12).ToString(), file.Tensors["b"].ToString());
        Assert.Equal([1f, -2.5f], file.ReadFloat32("a"));
        Assert.Equal([0.5f, -3f], file.ReadFloat32("b"));
        Assert.Equal([42L], file.ReadInt64("c"));
        Assert.Empty(file.Tensors["c"].Shape);
        Assert.Equal([1.5f], file.ReadFloat32("d"));
    }

    [Fact]
    public void ToArray_FixtureTensors_ReproducesFixtureBytes()
    {
        var written = new SafeTensorsWriter()
            .Add("d", [1.5f], [1], DType.F16)
            .Add("c", [42L], [])
            .Add("b", [0.5f, -3f], [1, 2], DType.BF16)
            .Add("a", [1f, -2.5f], [2])
            .SetMetadata("format", "pt")
            .ToArray();

        Assert.Equal(File.ReadAllBytes(FixturePath), written);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(9)]
    public void ToArray_AnyNameLength_HeaderSpacePaddedToMultipleOf8(int nameLength)
    {
        var bytes = new SafeTensorsWriter().Add(new string('x', nameLength), [1f], [1]).ToArray();

        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);

        var header = Encoding.UTF8.GetString(bytes, 8, headerLength);

        Assert.Equal(0, headerLength % 8);
        Assert.EndsWith("}", header.TrimEnd(' '));
        Assert.InRange(header.Length - header.TrimEnd(' ').Length, 0, 7);
    }

    [Fact]
    public void ToArray_UnsortedAdds_KeysSortedAndOffsetsContiguousInThatOrder()
    {
        var bytes = new SafeTensorsWriter().Add("zeta", [1L], [1]).Add("alpha", [1f, 2f], [2], DType.F16).Add("Mid", [3], [1]).ToArray();
        using var file = SafeTensorsFile.Read(bytes);

        var ordered = file.Tensors.Values.OrderBy(t => t.Begin).Select(t => (t.Name, t.Begin, t.End));

        Assert.Equal([("Mid", 0L, 4L), ("alpha", 4L, 8L), ("zeta", 8L, 16L)], ordered);
    }
}
