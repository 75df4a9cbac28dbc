using Pipeline.ML.IO;

namespace Pipeline.ML.Tests.IO;

/// <summary>Untrusted input: whatever is done to a valid file's bytes, reading either succeeds with every tensor
/// in bounds or throws <see cref="SafeTensorsFormatException"/> — never another exception.</summary>
public sealed class SafeTensorsMutationTests
{
    private const int Mutations = 4000;
    private const string JsonishChars = "0123456789[]{},:\"-.eE \u00ff";

    [Fact]
    public void Read_RandomlyMutatedFile_ParsesInBoundsOrThrowsFormatException()
    {
        var valid = new SafeTensorsWriter()
            .Add("embed", Enumerable.Range(0, 12).Select(i => i * 0.25f).ToArray(), [3, 4])
            .Add("norm", [1f, 2f, 3f], [3], DType.BF16)
            .Add("head", [0.5f, -0.5f], [1, 2], DType.F16)
            .Add("ids", [1L, 2L, 3L], [3])
            .Add("mask", [1, 0], [2])
            .Add("step", [5L], [])
            .SetMetadata("format", "pt")
            .ToArray();
        var random = new Random(20240613);
        var outcomes = new Dictionary<string, int> { ["parsed"] = 0, ["rejected"] = 0 };
        var directory = Directory.CreateTempSubdirectory("safetensors-mutations-");

        for (var i = 0; i < Mutations; i++)
        {
            var mutated = Mutate(valid, random);
            try
            {
                // Every 20th goes through a real file, so the positional-read path is exercised too.
                using var file = i % 20 == 0 ? OpenAsFile(mutated, directory.FullName) : SafeTensorsFile.Read(mutated);
                ReadAll(file, mutated.Length);
                outcomes["parsed"]++;
            }
            catch (SafeTensorsFormatException)
            {
                outcomes["rejected"]++;
            }
            catch (Exception e)
            {
                Assert.Fail($"mutation {i} threw {e.GetType().Name} instead of SafeTensorsFormatException: {e.Message}");
            }
        }

        directory.Delete(recursive: true);
        // Both outcomes must be exercised, or the mutations are not testing what they claim to.
        Assert.True(outcomes["parsed"] > 100 && outcomes["rejected"] > 100, $"parsed {outcomes["parsed"]}, rejected {outcomes["rejected"]}");
    }

    private static SafeTensorsFile OpenAsFile(byte[] bytes, string directory)
    {
        var path = Path.Combine(directory, "m.safetensors");
        File.WriteAllBytes(path, bytes);
        return SafeTensorsFile.Open(path);
    }

    private static void ReadAll(SafeTensorsFile file, int fileLength)
    {
        foreach (var info in file.Tensors.Values)
        {
            Assert.InRange(info.End, info.Begin, fileLength);
            var count = DTypes.IsFloat(info.DType) ? file.ReadFloat32(info.Name).Length : file.ReadInt64(info.Name).Length;
            Assert.Equal(info.ElementCount, count);
        }
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = (byte[])valid.Clone();
        // Most mutations land in the prefix and header, where the parser's decisions are made.
        var headerEnd = 8 + (int)BitConverter.ToUInt64(valid, 0);
        switch (random.Next(6))
        {
            case 0:
                bytes[random.Next(headerEnd)] ^= (byte)(1 << random.Next(8));
                return bytes;
            case 1:
                bytes[random.Next(headerEnd)] = (byte)JsonishChars[random.Next(JsonishChars.Length)];
                return bytes;
            case 2:
                bytes[random.Next(8)] = (byte)random.Next(256);
                return bytes;
            case 3:
                return bytes[..random.Next(bytes.Length)];
            case 4:
                var extended = new byte[bytes.Length + random.Next(1, 64)];
                bytes.CopyTo(extended, 0);
                random.NextBytes(extended.AsSpan(bytes.Length));
                return extended;
            default:
                var digit = IndexOfRandomDigit(bytes, headerEnd, random);
                bytes[digit] = (byte)('0' + random.Next(10));
                return bytes;
        }
    }

    /// <summary>A digit inside the header (shape or data_offsets), so offsets and shapes get plausible wrong values.</summary>
    private static int IndexOfRandomDigit(byte[] bytes, int headerEnd, Random random)
    {
        var start = 8 + random.Next(headerEnd - 8);
        for (var i = 0; i < headerEnd - 8; i++)
        {
            var at = 8 + ((start - 8 + i) % (headerEnd - 8));
            if (bytes[at] is >= (byte)'0' and <= (byte)'9')
            {
                return at;
            }
        }

        return start;
    }
}
