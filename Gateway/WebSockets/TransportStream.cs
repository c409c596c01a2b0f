using System.IO.Pipelines;
using Realtime.Gateway.Connections;

namespace Realtime.Gateway.WebSockets;

/// <summary>
/// A Kestrel connection's pipes as the stream a <see cref="System.Net.WebSockets.WebSocket"/> is made over. Each write
/// is flushed to the socket at once, as Kestrel's upgraded streams do; disposing it (the WebSocket's abort) ends a
/// read in progress, while what was written still leaves when Kestrel closes the connection.
/// </summary>
internal sealed class TransportStream(IDuplexPipe transport) : DuplexStream
{
    private readonly Stream _input = transport.Input.AsStream(leaveOpen: true);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        _input.ReadAsync(buffer, cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        // A client that has gone completes the pipe; the write is then dropped, and the read side ends the connection.
        await transport.Output.WriteAsync(buffer, cancellationToken);

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            transport.Input.CancelPendingRead();
        }
        base.Dispose(disposing);
    }
}
