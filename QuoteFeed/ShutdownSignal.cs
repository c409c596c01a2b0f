using System.Runtime.InteropServices;

namespace Realtime.QuoteFeed;

/// <summary>
/// A token cancelled by Ctrl-C (SIGINT) or SIGTERM, so a long-running command can stop cleanly and exit 0
/// instead of being torn down by the runtime's default handlers.
/// </summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;

    public ShutdownSignal()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
    }

    public CancellationToken Token => _cancellation.Token;

    private void Stop(PosixSignalContext context)
    {
        // Cancel the runtime's own handling: the command winds down and returns its exit code itself.
        context.Cancel = true;
        _cancellation.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }
}
