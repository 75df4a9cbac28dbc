using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Workers.Bench;

/// <summary>
/// bench/torch_gemm.py as a co-process: torch.mm on the system OpenBLAS, asked for one timed sample at a time so
/// that samples of ours and of OpenBLAS alternate and see the same machine load. Started with OPENBLAS_CORETYPE
/// removed from its environment: images that pin it to Haswell make OpenBLAS skip its AVX-512 kernels.
/// </summary>
public sealed class TorchGemmReference : IAsyncDisposable
{
    private readonly Process _process;

    private TorchGemmReference(Process process, BlasInfo info) => (_process, Info) = (process, info);

    public BlasInfo Info { get; }

    public static async Task<TorchGemmReference> StartAsync(string python, string script, int threads, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = false };
        psi.ArgumentList.Add(script);
        psi.ArgumentList.Add(threads.ToString());
        psi.Environment.Remove("OPENBLAS_CORETYPE");
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {python} {script}");
        var first = await process.StandardOutput.ReadLineAsync(ct)
            ?? throw new InvalidOperationException($"{script} exited before reporting its BLAS (is torch installed for {python}?)");
        return new TorchGemmReference(process, JsonSerializer.Deserialize<BlasInfo>(first)!);
    }

    /// <summary>Seconds per call of one sample (a loop of calls lasting at least <paramref name="minSeconds"/>).</summary>
    public async Task<double> SampleAsync(GemmBenchShape s, double minSeconds, CancellationToken ct)
    {
        var request = JsonSerializer.Serialize(new { m = s.M, n = s.N, k = s.K, transA = s.TransA, transB = s.TransB, min_seconds = minSeconds });
        await _process.StandardInput.WriteLineAsync(request.AsMemory(), ct);
        await _process.StandardInput.FlushAsync(ct);
        var reply = await _process.StandardOutput.ReadLineAsync(ct) ?? throw new InvalidOperationException("torch_gemm.py exited mid-run");
        return JsonDocument.Parse(reply).RootElement.GetProperty("seconds").GetDouble();
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close(); // end of requests: the script exits
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>What the script found mapped: the library path and OpenBLAS's own config and core names.</summary>
    public sealed record BlasInfo(
        [property: JsonPropertyName("torch")] string Torch,
        [property: JsonPropertyName("blas")] string Library,
        [property: JsonPropertyName("config")] string Config,
        [property: JsonPropertyName("core")] string Core,
        [property: JsonPropertyName("threads")] int Threads);
}
