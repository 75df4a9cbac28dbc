using Pipeline.ML.Compute;

namespace Pipeline.ML.Tests.Ops;

/// <summary>Comparisons the op tests share: against a double reference, float vs double, and across thread counts.</summary>
internal static class OpAssert
{
    /// <summary>|actual − expected| ≤ tolerance · max(1, |expected|) element-wise, naming the first index that is not.</summary>
    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(actual[i] - expected[i]) / Math.Max(1.0, Math.Abs(expected[i]));
            Assert.True(error <= tolerance, $"{what}[{i}]: {actual[i]:G10} vs expected {expected[i]:G10} (error {error:E2} > {tolerance:E0})");
        }
    }

    public static void Close(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double tolerance, string what) =>
        Close(expected, ToDouble(actual), tolerance, what);

    public static float[] ToFloat(ReadOnlySpan<double> values)
    {
        var result = new float[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = (float)values[i];
        }
        return result;
    }

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }
        return result;
    }

    /// <summary>Random values already rounded to float, so a float and a double run see the same inputs.</summary>
    public static double[] FloatExact(int length, int seed, double scale = 1.0) => ToDouble(ToFloat(GradCheck.Random(length, seed, scale)));

    /// <summary>Runs <paramref name="run"/> with 1 and then 2 threads and asserts every returned array is bit-identical.</summary>
    public static void SameBitsForThreadCounts(Func<float[][]> run)
    {
        var saved = CpuParallel.Threads;
        try
        {
            CpuParallel.Threads = 1;
            var one = run();
            CpuParallel.Threads = 2;
            var two = run();
            Assert.Equal(one.Length, two.Length);
            for (var k = 0; k < one.Length; k++)
            {
                Assert.Equal(Bits(one[k]), Bits(two[k]));
            }
        }
        finally
        {
            CpuParallel.Threads = saved;
        }

        static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
    }
}
