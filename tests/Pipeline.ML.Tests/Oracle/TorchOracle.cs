using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.ML.IO;

namespace Pipeline.ML.Tests.Oracle;

/// <summary>
/// Runs the PyTorch reference (torch_reference/llama_reference.py, a plain-torch LlamaForCausalLM with PEFT LoRA) as a
/// process: HF checkpoint + batch in, logits, loss and autograd gradients out as safetensors. Torch is a required
/// test dependency: when it is missing the call fails (never skips) and says how to install it.
/// </summary>
internal static class TorchOracle
{
    public const string Python = "/usr/bin/python3";
    private const string InstallHint = "run `infra/services/install.sh torch`";
    private const int TorchMissingExitCode = 3; // llama_reference.py's exit code when `import torch` fails

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The oracle scripts, copied next to the test assembly by the csproj.</summary>
    public static string ScriptDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "torch_reference");

    /// <summary>Writes <paramref name="outFile"/> with float32 `logits` (B, T, V), `loss` [] and `grad/NAME` for every
    /// trainable parameter: HF names without an adapter, PEFT names (LoRA weights only) with one.</summary>
    public static Task RunGradsAsync(string modelDir, string? adapterDir, string batchFile, string outFile, CancellationToken ct = default)
    {
        List<string> args = ["--model", modelDir, "--batch", batchFile, "--out", outFile];
        if (adapterDir is not null)
        {
            args.AddRange(["--adapter", adapterDir]);
        }

        return RunScriptAsync("llama_reference.py", args, DefaultTimeout, ct);
    }

    /// <summary>Writes a random HF checkpoint (config.json, model.safetensors stored as F32 or BF16) from the
    /// config.json fields in <paramref name="configJson"/>; linear and embedding weights ~ N(0, <paramref name="std"/>²).</summary>
    public static async Task InitModelAsync(string dir, string configJson, int seed, DType dtype = DType.F32, double std = 0.2, CancellationToken ct = default)
    {
        var name = dtype switch
        {
            DType.F32 => "f32",
            DType.BF16 => "bf16",
            _ => throw new ArgumentException($"the oracle writes F32 or BF16 checkpoints, not {DTypes.Name(dtype)}", nameof(dtype)),
        };
        var configFile = Path.Combine(Path.GetTempPath(), $"oracle-config-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(configFile, configJson, ct);
        try
        {
            string[] args = ["--init-model", dir, "--config", configFile, "--seed", Invariant(seed), "--dtype", name, "--std", Invariant(std)];
            await RunScriptAsync("llama_reference.py", args, DefaultTimeout, ct);
        }
        finally
        {
            File.Delete(configFile);
        }
    }

    /// <summary>Writes a PEFT LoRA adapter for <paramref name="modelDir"/> with random, NON-zero lora_B so that the
    /// adapter changes the logits.</summary>
    public static Task InitAdapterAsync(string dir, string modelDir, int r, double alpha, IReadOnlyList<string> targets, int seed, CancellationToken ct = default)
    {
        string[] args = ["--init-adapter", dir, "--model", modelDir, "--r", Invariant(r), "--alpha", Invariant(alpha),
            "--targets", string.Join(',', targets), "--seed", Invariant(seed)];
        return RunScriptAsync("llama_reference.py", args, DefaultTimeout, ct);
    }

    /// <summary>Writes the oracle's batch JSON. labels default to input_ids (-100 = ignored); position_ids default
    /// to 0..T-1 per row, and a 0 inside a row starts a new packed document.</summary>
    public static void WriteBatch(string path, int[][] inputIds, int[][]? labels = null, int[][]? positionIds = null)
    {
        var batch = new Dictionary<string, int[][]> { ["input_ids"] = inputIds };
        if (labels is not null)
        {
            batch["labels"] = labels;
        }

        if (positionIds is not null)
        {
            batch["position_ids"] = positionIds;
        }

        File.WriteAllText(path, JsonSerializer.Serialize(batch));
    }

    /// <summary>Runs torch_reference/<paramref name="script"/> and returns its stdout; throws with its stderr when it fails
    /// or runs past <paramref name="timeout"/>.</summary>
    public static async Task<string> RunScriptAsync(string script, IEnumerable<string> args, TimeSpan timeout, CancellationToken ct = default)
    {
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"{Python} not found; the PyTorch oracle needs it: {InstallHint}");
        }

        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = ScriptDirectory,
        };
        start.ArgumentList.Add(Path.Combine(ScriptDirectory, script));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // This image exports OPENBLAS_CORETYPE=Haswell, which halves OpenBLAS on AVX-512; torch's default is 1 thread.
        start.Environment.Remove("OPENBLAS_CORETYPE");
        start.Environment["OMP_NUM_THREADS"] = "2";
        // Spinning OpenMP threads fight the test run (and each other) for 2 cores: the self-check took 9-11 s
        // instead of 3-4 s on a busy machine. Passive waiting costs nothing on these tiny models.
        start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"{Describe(start)} did not finish within {timeout}; stderr:\n{await stderr}");
        }

        var (output, errors) = (await stdout, await stderr);
        return process.ExitCode switch
        {
            0 => output,
            TorchMissingExitCode => throw new InvalidOperationException($"PyTorch is not installed for {Python}: {InstallHint}\n{errors}"),
            var code => throw new InvalidOperationException($"{Describe(start)} exited with {code}; stderr:\n{errors}"),
        };
    }

    private static string Describe(ProcessStartInfo start) => $"{start.FileName} {string.Join(' ', start.ArgumentList)}";

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
