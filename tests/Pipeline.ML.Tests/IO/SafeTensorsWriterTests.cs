using Pipeline.ML.IO;

namespace Pipeline.ML.Tests.IO;

public sealed class SafeTensorsWriterTests
{
    [Fact]
    public void Add_ShapeProductDiffersFromLength_ThrowsNamingTensorAndCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => new SafeTensorsWriter().Add("layer.0.w", new float[6], [2, 4]));

        Assert.Contains("'layer.0.w'", error.Message);
        Assert.Contains("[2, 4]", error.Message);
        Assert.Contains("data has 6", error.Message);
    }

    [Fact]
    public void Add_HugeShape_ThrowsInsteadOfOverflowing()
    {
        var error = Assert.Throws<ArgumentException>(() => new SafeTensorsWriter().Add("big", new long[4], [long.MaxValue, long.MaxValue, 2]));

        Assert.Contains("'big'", error.Message);
        Assert.Contains("more than 4", error.Message);
    }

    [Fact]
    public void Add_NegativeDimension_ThrowsNamingTensor()
    {
        var error = Assert.Throws<ArgumentException>(() => new SafeTensorsWriter().Add("w", new int[0], [-1, 0]));

        Assert.Contains("'w'", error.Message);
        Assert.Contains("negative", error.Message);
    }

    [Fact]
    public void Add_SameNameTwice_ThrowsNamingTensor()
    {
        var writer = new SafeTensorsWriter().Add("w", [1f], [1]);

        var error = Assert.Throws<ArgumentException>(() => writer.Add("w", [1L], [1]));

        Assert.Contains("'w' was already added", error.Message);
    }

    [Theory]
    [InlineData(DType.F64)]
    [InlineData(DType.I64)]
    public void Add_FloatDataAsNonHalfOrSingleDType_Throws(DType dtype)
    {
        var error = Assert.Throws<ArgumentException>(() => new SafeTensorsWriter().Add("w", [1f], [1], dtype));

        Assert.Contains(DTypes.Name(dtype), error.Message);
    }

    [Fact]
    public void Add_MetadataKeyAsTensorName_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new SafeTensorsWriter().Add("__metadata__", [1f], [1]));

        Assert.Contains("reserved", error.Message);
    }

    [Fact]
    public void Add_CallerMutatesArrayAfterAdd_WrittenValuesUnchanged()
    {
        float[] data = [1f, 2f];
        var writer = new SafeTensorsWriter().Add("w", data, [2]);
        data[0] = 99f;

        using var file = SafeTensorsFile.Read(writer.ToArray());

        Assert.Equal([1f, 2f], file.ReadFloat32("w"));
    }
}
