using Pipeline.ML.IO;

namespace Pipeline.ML.Tests.IO;

public sealed class SafeTensorsRoundTripTests
{
    private static readonly float[] Awkward =
        [0f, -0f, 1f, -2.5f, 3.14159265f, 1e-3f, -65504f, 1e-8f, float.Epsilon, float.MaxValue, float.NegativeInfinity, float.NaN];

    [Fact]
    public void ReadFloat32_WrittenAsF32_BitExact()
    {
        using var file = SafeTensorsFile.Read(new SafeTensorsWriter().Add("w", Awkward, [3, 4]).ToArray());

        var read = file.ReadFloat32("w");

        Assert.Equal(Awkward.Select(BitConverter.SingleToInt32Bits), read.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(new TensorInfo("w", DType.F32, [3, 4], 0, 48).ToString(), file.Tensors["w"].ToString());
    }

    [Fact]
    public void ReadFloat32_WrittenAsF16_WithinHalfPrecision()
    {
        float[] values = [0f, 1f, -2.5f, 3.14159265f, 1e-3f, -65504f, 1234.5678f, 0.1f];
        using var file = SafeTensorsFile.Read(new SafeTensorsWriter().Add("h", values, [8], DType.F16).ToArray());

        var read = file.ReadFloat32("h");

        Assert.Equal(DType.F16, file.Tensors["h"].DType);
        for (var i = 0; i < values.Length; i++)
        {
            // Half keeps 11 significant bits: relative error at most 2^-11 in the normal range.
            Assert.True(Math.Abs(read[i] - values[i]) <= Math.Abs(values[i]) / 2048f, $"[{i}] {values[i]} read back as {read[i]}");
        }
    }

    [Fact]
    public void ReadFloat32_WrittenAsBF16_WithinBFloat16PrecisionAndSpecialsKept()
    {
        float[] values = [0f, 1f, -2.5f, 3.14159265f, 1e-3f, 1e30f, -7.77e-20f, 0.1f, float.PositiveInfinity, float.NaN];
        using var file = SafeTensorsFile.Read(new SafeTensorsWriter().Add("b", values, [2, 5], DType.BF16).ToArray());

        var read = file.ReadFloat32("b");

        for (var i = 0; i < 8; i++)
        {
            // bfloat16 keeps 8 significant bits; round-to-nearest halves the step: relative error at most 2^-8.
            Assert.True(Math.Abs(read[i] - values[i]) <= Math.Abs(values[i]) / 256f, $"[{i}] {values[i]} read back as {read[i]}");
        }

        Assert.Equal(float.PositiveInfinity, read[8]);
        Assert.True(float.IsNaN(read[9]));
    }

    [Fact]
    public void ReadInt64_WrittenAsI64AndI32_Exact()
    {
        long[] longs = [0, 1, -1, long.MinValue, long.MaxValue, 1L << 40];
        int[] ints = [0, -1, int.MinValue, int.MaxValue];
        var bytes = new SafeTensorsWriter().Add("ids", longs, [6]).Add("mask", ints, [2, 2]).ToArray();
        using var file = SafeTensorsFile.Read(bytes);

        Assert.Equal(longs, file.ReadInt64("ids"));
        Assert.Equal(ints.Select(i => (long)i), file.ReadInt64("mask"));
        Assert.Equal(DType.I32, file.Tensors["mask"].DType);
    }

    [Fact]
    public void ReadFloat32_ScalarWithEmptyShape_OneElement()
    {
        using var file = SafeTensorsFile.Read(new SafeTensorsWriter().Add("step", [7.5f], []).Add("n", [9L], []).ToArray());

        Assert.Empty(file.Tensors["step"].Shape);
        Assert.Equal([7.5f], file.ReadFloat32("step"));
        Assert.Equal([9L], file.ReadInt64("n"));
    }

    [Fact]
    public void ReadFloat32_ZeroDimension_EmptyTensorBetweenOthers()
    {
        var bytes = new SafeTensorsWriter().Add("a", [1f], [1]).Add("b", Array.Empty<float>(), [3, 0, 2]).Add("c", [2f], [1]).ToArray();
        using var file = SafeTensorsFile.Read(bytes);

        Assert.Empty(file.ReadFloat32("b"));
        Assert.Equal(file.Tensors["b"].Begin, file.Tensors["b"].End);
        Assert.Equal([3L, 0, 2], file.Tensors["b"].Shape);
        Assert.Equal([2f], file.ReadFloat32("c"));
    }

    [Fact]
    public void Metadata_WrittenEntries_ReadBackExactly()
    {
        var bytes = new SafeTensorsWriter().Add("w", [1f], [1])
            .SetMetadata("format", "pt").SetMetadata("note", "ünïcode \"quoted\" + <tag>").ToArray();
        using var file = SafeTensorsFile.Read(bytes);

        Assert.Equal(2, file.Metadata.Count);
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal("ünïcode \"quoted\" + <tag>", file.Metadata["note"]);
    }

    [Fact]
    public void Metadata_NoneWritten_EmptyAndTensorlessFileValid()
    {
        using var file = SafeTensorsFile.Read(new SafeTensorsWriter().ToArray());

        Assert.Empty(file.Tensors);
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void WriteToFile_ExistingTarget_ReplacedAtomicallyWithNoTempLeft()
    {
        var dir = Directory.CreateTempSubdirectory("safetensors-");
        try
        {
            var path = Path.Combine(dir.FullName, "model.safetensors");
            File.WriteAllText(path, "old contents");

            new SafeTensorsWriter().Add("w", Awkward, [12]).Add("ids", [1L, 2L], [2]).WriteToFile(path);

            using (var file = SafeTensorsFile.Open(path))
            {
                Assert.Equal(path, file.Source);
                Assert.Equal(Awkward.Select(BitConverter.SingleToInt32Bits), file.ReadFloat32("w").Select(BitConverter.SingleToInt32Bits));
                Assert.Equal([1L, 2L], file.ReadInt64("ids"));
            }

            Assert.Equal(["model.safetensors"], dir.EnumerateFiles().Select(f => f.Name));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Read_Stream_SameTensorsAsSpan()
    {
        var bytes = new SafeTensorsWriter().Add("w", [1f, 2f], [2], DType.BF16).ToArray();
        using var stream = new MemoryStream(bytes);

        using var file = SafeTensorsFile.Read(stream);

        Assert.Equal("<memory>", file.Source);
        Assert.Equal([1f, 2f], file.ReadFloat32("w"));
    }
}
