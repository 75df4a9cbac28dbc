using Pipeline.ML.Compute;
using Pipeline.ML.Ops;

namespace Pipeline.ML.Tests.Ops;

/// <summary>Chunking depends only on sizes, so one thread and two give bit-identical results.</summary>
[Collection("CpuParallel")]
public class OpsThreadCountTests
{
    [Fact]
    public void Attention_OneVersusTwoThreads_BitIdentical()
    {
        var c = AttentionCase.Packed(
            [[0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9], Enumerable.Range(0, 17).ToArray(),
                Enumerable.Range(0, 17).Select(t => t % 5).ToArray()],
            heads: 4, kvHeads: 2, headDim: 48);
        var inputs = c.RandomInputs(seed: 51).ToDictionary(p => p.Key, p => p.Value.Select(x => (float)x).ToArray());
        var dout = GradCheck.Random(c.QLength, seed: 52).Select(x => (float)x).ToArray();

        var one = WithThreads(1, Run);
        var two = WithThreads(2, Run);
        for (var i = 0; i < one.Length; i++)
        {
            Assert.Equal(one[i], two[i]);
        }

        float[][] Run()
        {
            var (output, probs) = c.Forward(inputs["q"], inputs["k"], inputs["v"]);
            var (dq, dk, dv) = (new float[c.QLength], new float[c.KvLength], new float[c.KvLength]);
            c.Backward(dout, inputs["q"], inputs["k"], inputs["v"], dq, dk, dv);
            return [output, probs, dq, dk, dv];
        }
    }

    [Fact]
    public void Rope_OneVersusTwoThreads_BitIdentical()
    {
        // 600 rows of 4 heads × 64: several chunks of rows.
        const int N = 600, H = 4, D = 64;
        var table = new RopeTable<float>(1024, D, 10000.0);
        var positions = Enumerable.Range(0, N).Select(i => i * 7 % 1024).ToArray();
        var x = GradCheck.Random(N * H * D, seed: 53).Select(v => (float)v).ToArray();

        var one = WithThreads(1, Run);
        var two = WithThreads(2, Run);
        Assert.Equal(one, two);

        float[][] Run()
        {
            var y = (float[])x.Clone();
            Rope.Forward<float>(y, positions, table, N, H);
            var dy = (float[])x.Clone();
            Rope.Backward<float>(dy, positions, table, N, H);
            return [y, dy];
        }
    }

    private static float[][] WithThreads(int threads, Func<float[][]> run)
    {
        var saved = CpuParallel.Threads;
        CpuParallel.Threads = threads;
        try
        {
            return run();
        }
        finally
        {
            CpuParallel.Threads = saved;
        }
    }
}
