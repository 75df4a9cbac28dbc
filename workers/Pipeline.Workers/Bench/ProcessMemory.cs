using System.Runtime;

namespace Pipeline.Workers.Bench;

/// <summary>
/// The process's resident memory from /proc/self/status: VmHWM is the peak RSS, the same figure as getrusage's
/// ru_maxrss that the PyTorch side reports. Writing 5 to /proc/self/clear_refs resets the peak (Linux ≥ 4.0), so
/// one process can measure several runs one after another.
/// </summary>
public static class ProcessMemory
{
    /// <summary>Compacts the managed heap, hands free pages back to the OS, then restarts the peak from the current
    /// RSS. False where /proc is missing or read-only (the peak then covers the whole process so far).</summary>
    public static bool ResetPeak()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Peak resident set since the last reset, in MiB.</summary>
    public static double PeakMb => Read("VmHWM:") ?? Environment.WorkingSet / 1048576.0;

    /// <summary>Current resident set, in MiB.</summary>
    public static double CurrentMb => Read("VmRSS:") ?? Environment.WorkingSet / 1048576.0;

    private static double? Read(string field)
    {
        if (!File.Exists("/proc/self/status"))
        {
            return null;
        }
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        var kb = line?[field.Length..].Trim().Split(' ')[0];
        return long.TryParse(kb, out var v) ? v / 1024.0 : null;
    }
}
