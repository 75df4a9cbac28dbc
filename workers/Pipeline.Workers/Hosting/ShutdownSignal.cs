using System.Runtime.InteropServices;

namespace Pipeline.Workers.Hosting;

/// <summary>A token cancelled by the first SIGINT (Ctrl+C) or SIGTERM, so that a long-running process stops
/// gracefully: workers stop polling and let running activities finish. A second signal ends the process at once.</summary>
public sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly PosixSignalRegistration[] _registrations;
    private int _signals;

    public ShutdownSignal()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public CancellationToken Token => _cts.Token;

    /// <summary>Called once when the first signal arrives (e.g. to log it).</summary>
    public event Action<PosixSignal>? Received;

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.Increment(ref _signals) > 1) return; // context.Cancel stays false: the default action ends the process
        context.Cancel = true;
        Received?.Invoke(context.Signal);
        _cts.Cancel();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cts.Dispose();
    }
}
