using System.Diagnostics;

namespace Pipeline.Workers.Tests.Support;

/// <summary>A real `pipeline` process (the CLI built by this solution), for tests that kill processes. Its output
/// goes to a log file that failing assertions can quote.</summary>
public sealed class PipelineProcess : IAsyncDisposable
{
    private readonly Process _process;

    private PipelineProcess(Process process, string logFile)
    {
        _process = process;
        LogFile = logFile;
    }

    public string LogFile { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;

    public static PipelineProcess Start(string logFile, params string[] args) => Start(logFile, null, null, args);

    /// <summary>As <see cref="Start(string, string[])"/>, in <paramref name="workingDirectory"/> (default: the test's)
    /// with <paramref name="environment"/> changed: a null value removes the variable from the child's environment.</summary>
    public static PipelineProcess Start(string logFile, string? workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "pipeline.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"the CLI was not built next to the tests: {dll}");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) psi.Environment.Remove(name);
            else psi.Environment[name] = value;
        }
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start the pipeline process");
        var log = new StreamWriter(logFile, append: true) { AutoFlush = true };
        var gate = new object();
        void Write(string? line)
        {
            if (line is null) return;
            lock (gate) log.WriteLine(line);
        }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new PipelineProcess(process, logFile);
    }

    /// <summary>SIGKILL: no shutdown code runs, exactly as in a crash.</summary>
    public async Task KillAsync()
    {
        if (_process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>Waits for the process to end on its own and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await _process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"pipeline did not exit within {timeout}:\n{Output()}"); }
        // WaitForExitAsync returns once the output pipes close too, so the log is complete here.
        return _process.ExitCode;
    }

    /// <summary>Runs `pipeline args…` to completion: (exit code, combined output).</summary>
    public static Task<(int Code, string Output)> RunAsync(string logFile, TimeSpan timeout, params string[] args) =>
        RunAsync(logFile, timeout, null, null, args);

    /// <summary>Runs `pipeline args…` to completion in <paramref name="workingDirectory"/> with <paramref name="environment"/>
    /// changed (see <see cref="Start(string, string?, IReadOnlyDictionary{string, string?}?, string[])"/>).</summary>
    public static async Task<(int Code, string Output)> RunAsync(string logFile, TimeSpan timeout, string? workingDirectory,
        IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        await using var p = Start(logFile, workingDirectory, environment, args);
        var code = await p.WaitForExitAsync(timeout);
        return (code, p.Output());
    }

    public string Output() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }
}
