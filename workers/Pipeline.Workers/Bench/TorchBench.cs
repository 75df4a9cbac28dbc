using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Workers.Bench;

/// <summary>
/// Runs bench/torch_train_bench.py for one mode in a child process and returns the JSON line it prints. The child
/// gets our environment minus OPENBLAS_CORETYPE (this image sets it to Haswell, which halves OpenBLAS on AVX-512),
/// and runs while our side is idle, so the two never share the cores.
/// </summary>
public static class TorchBench
{
    public const string ScriptPath = "bench/torch_train_bench.py";

    /// <summary>The script under the current directory or any parent (the repository root), or null.</summary>
    public static string? FindScript()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, ScriptPath);
            if (File.Exists(path))
            {
                return path;
            }
        }
        return null;
    }

    public static async Task<JsonElement> RunAsync(
        string python, string script, MlBenchConfig config, string mode, IEnumerable<string> extraArgs, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment.Remove("OPENBLAS_CORETYPE");
        foreach (var a in new[] { script, "--mode", mode }.Concat(config.TorchArgs()).Concat(extraArgs))
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {python}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(script)} --mode {mode} exited with {process.ExitCode}:\n{(await stderr).Trim()}");
        }
        var line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(l => l.TrimStart().StartsWith('{'))
            ?? throw new InvalidOperationException($"{Path.GetFileName(script)} --mode {mode} printed no JSON:\n{output}");
        return JsonElement.Parse(line);
    }
}
