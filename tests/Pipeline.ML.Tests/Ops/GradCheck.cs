namespace Pipeline.ML.Tests.Ops;

/// <summary>
/// Finite-difference gradient check in double precision (llm.c/house style): with a random upstream gradient
/// dout and the fake loss L = Σ out·dout, every analytic input gradient must match the central difference
/// (L(x+h) − L(x−h)) / 2h. Backward must ACCUMULATE: the gradient buffers start at a known non-zero value and the
/// check subtracts it, so an op that overwrites instead of adding fails here.
/// </summary>
internal static class GradCheck
{
    /// <param name="inputs">Named inputs; those listed in <paramref name="differentiable"/> are perturbed.</param>
    /// <param name="forward">Computes the output from the inputs (must not modify them).</param>
    /// <param name="backward">Given inputs and dout, ADDS d L / d input into grads[name] for each differentiable input.</param>
    public static void Check(
        IReadOnlyDictionary<string, double[]> inputs,
        string[] differentiable,
        Func<IReadOnlyDictionary<string, double[]>, double[]> forward,
        Action<IReadOnlyDictionary<string, double[]>, double[], IReadOnlyDictionary<string, double[]>> backward,
        double h = 1e-5,
        double tolerance = 1e-6,
        int seed = 7)
    {
        var rng = new Random(seed);
        var output = forward(inputs);
        var dout = output.Select(_ => rng.NextDouble() * 2 - 1).ToArray();

        const double Prefill = 0.25;
        var grads = differentiable.ToDictionary(n => n, n => Enumerable.Repeat(Prefill, inputs[n].Length).ToArray());
        backward(inputs, dout, grads);

        foreach (var name in differentiable)
        {
            var x = inputs[name];
            for (var i = 0; i < x.Length; i++)
            {
                var saved = x[i];
                x[i] = saved + h;
                var plus = Dot(forward(inputs), dout);
                x[i] = saved - h;
                var minus = Dot(forward(inputs), dout);
                x[i] = saved;
                var numeric = (plus - minus) / (2 * h);
                var analytic = grads[name][i] - Prefill;
                var error = Math.Abs(numeric - analytic) / Math.Max(1.0, Math.Abs(numeric) + Math.Abs(analytic));
                Assert.True(
                    error <= tolerance,
                    $"d/d{name}[{i}]: analytic {analytic:G10} vs finite difference {numeric:G10} (relative error {error:E2} > {tolerance:E0})");
            }
        }
    }

    /// <summary>Uniform random values in [-scale, scale).</summary>
    public static double[] Random(int length, int seed, double scale = 1.0)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (rng.NextDouble() * 2 - 1) * scale).ToArray();
    }

    private static double Dot(double[] a, double[] b)
    {
        Assert.Equal(b.Length, a.Length);
        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
