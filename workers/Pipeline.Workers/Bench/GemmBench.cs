using System.Diagnostics;
using Pipeline.ML.Compute;
using Pipeline.ML.Kernels;

namespace Pipeline.Workers.Bench;

/// <summary>Times Pipeline.ML's float32 gemm and, alternating sample by sample, OpenBLAS through torch on the same
/// shapes: medians (and best samples) of GFLOP/s. A sample is a loop of calls lasting at least minSeconds.</summary>
public static class GemmBench
{
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(20);

    public static async Task<List<GemmBenchResult>> RunAsync(IReadOnlyList<GemmBenchShape> shapes, int threads, int repeats,
        double minSeconds, TorchGemmReference? reference, Action<string> progress, CancellationToken ct)
    {
        var saved = CpuParallel.Threads;
        CpuParallel.Threads = threads;
        try
        {
            // A first pass calibrates every shape and, on the way, lets the JIT finish tiering up the gemm code
            // (tier-0 code runs at a fraction of the speed for the first few hundred milliseconds).
            progress("warming up: calibrating every shape…");
            var operands = shapes.Select(s => new Operands(s)).ToList();
            var calls = operands.Select(o => o.Calibrate(minSeconds)).ToList();
            var results = new List<GemmBenchResult>();
            for (var i = 0; i < shapes.Count; i++)
            {
                var s = shapes[i];
                progress($"{s.Name} {s.M}×{s.N}×{s.K}…");
                var (mine, theirs) = (new List<double>(), new List<double>());
                for (var r = 0; r < repeats; r++)
                {
                    mine.Add(s.Flops / operands[i].Sample(calls[i]) / 1e9);
                    if (reference is null) continue;
                    // Each side's idle threads spin for a while after its last call (ours 50 µs; OpenMP's, in the
                    // reference, milliseconds) and would steal a core from the other side's next sample: let them
                    // settle first.
                    Thread.Sleep(Settle);
                    theirs.Add(s.Flops / await reference.SampleAsync(s, minSeconds, ct) / 1e9);
                    Thread.Sleep(Settle);
                }
                results.Add(new GemmBenchResult(s, EngineBench.Percentile(mine, 50), mine.Max(),
                    theirs.Count > 0 ? EngineBench.Percentile(theirs, 50) : null, theirs.Count > 0 ? theirs.Max() : null));
            }
            return results;
        }
        finally
        {
            CpuParallel.Threads = saved;
        }
    }

    /// <summary>Random operands laid out as bench/torch_gemm.py lays them out: a transposed operand stored transposed.</summary>
    private sealed class Operands(GemmBenchShape s)
    {
        private readonly float[] _a = Random(s.M * s.K);
        private readonly float[] _b = Random(s.K * s.N);
        private readonly float[] _c = new float[s.M * s.N];

        public void Call() => Gemm.Multiply<float>(s.TransA, s.TransB, s.M, s.N, s.K,
            _a, s.TransA ? s.M : s.K, _b, s.TransB ? s.K : s.N, _c, s.N, accumulate: false);

        /// <summary>Calls per sample: doubled until a loop lasts minSeconds (the first loops also warm up the JIT).</summary>
        public int Calibrate(double minSeconds)
        {
            var calls = 1;
            while (Sample(calls) * calls < minSeconds) calls *= 2;
            return calls;
        }

        /// <summary>Seconds per call over a loop of <paramref name="calls"/>.</summary>
        public double Sample(int calls)
        {
            var t0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < calls; i++) Call();
            return Stopwatch.GetElapsedTime(t0).TotalSeconds / calls;
        }

        private static float[] Random(int length)
        {
            var rng = new Random(length);
            var x = new float[length];
            for (var i = 0; i < x.Length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
            return x;
        }
    }
}
