using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;
using Realtime.Bench.Measurement;
using Realtime.Bench.Protocols;

namespace Realtime.Bench.Clients;

/// <summary>
/// One simulated browser: a WebSocket, a receive loop that stamps each message the moment it is complete (before
/// any parsing, the same for every protocol) and hands it to the protocol, and the subscriptions it asked for.
/// </summary>
internal sealed class BenchClient : IFrameSink, IAsyncDisposable
{
    private const int InitialBuffer = 4096;

    private readonly ClientWebSocket _socket = new();
    private readonly IBenchProtocol _protocol;
    private readonly MeasurementSlot _measurements;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private int _pendingSubscriptions;
    private long _receivedAt;
    private int _updatesInMessage;
    private Task _replying = Task.CompletedTask;
    private Task _receiving = Task.CompletedTask;

    public BenchClient(IBenchProtocol protocol, MeasurementSlot measurements)
    {
        _protocol = protocol;
        _measurements = measurements;
        // The servers ping; the client only answers. No unsolicited pongs muddy the traffic.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        foreach (var subProtocol in protocol.SubProtocols)
        {
            _socket.Options.AddSubProtocol(subProtocol);
        }
        if (protocol.Deflate)
        {
            _socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        }
    }

    /// <summary>Opens the socket and waits until the server has accepted the client.</summary>
    public async Task Connect(HttpMessageInvoker invoker, Uri endpoint, CancellationToken cancellationToken)
    {
        await _socket.ConnectAsync(endpoint, invoker, cancellationToken);
        _receiving = ReceiveLoop();
        if (_protocol.Opening is { } opening)
        {
            await Send(opening, cancellationToken);
        }
        await _ready.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Subscribes to every symbol and waits until each subscription is live.</summary>
    public async Task Subscribe(IReadOnlyList<string> symbols, CancellationToken cancellationToken)
    {
        if (symbols.Count == 0)
        {
            return;
        }
        Volatile.Write(ref _pendingSubscriptions, symbols.Count);
        for (var i = 0; i < symbols.Count; i++)
        {
            await Send(_protocol.Subscribe(symbols[i], i + 1), cancellationToken);
        }
        await _subscribed.Task.WaitAsync(cancellationToken);
    }

    public async Task Send(byte[] message, CancellationToken cancellationToken)
    {
        await _sending.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sending.Release();
        }
    }

    void IFrameSink.Ready() => _ready.TrySetResult();

    void IFrameSink.Subscribed()
    {
        if (Interlocked.Decrement(ref _pendingSubscriptions) == 0)
        {
            _subscribed.TrySetResult();
        }
    }

    void IFrameSink.Update(long quoteSeq)
    {
        _updatesInMessage++;
        _measurements.Current?.OnUpdate(quoteSeq, _receivedAt);
    }

    void IFrameSink.Reply(byte[] message) => _replying = ReplyAfter(_replying, message);

    /// <summary>Replies in order, none waiting for the receive loop; a failed reply is the connection's failure.</summary>
    private async Task ReplyAfter(Task previous, byte[] message)
    {
        await previous;
        try
        {
            await Send(message, CancellationToken.None);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            if (_socket.State != WebSocketState.Aborted)
            {
                ((IFrameSink)this).Failed("reply failed: " + e.Message);
            }
        }
    }

    /// <summary>The server closed or lost the connection after it was set up.</summary>
    public bool Lost => _socket.State is WebSocketState.Closed or WebSocketState.CloseReceived || _receiving.IsCompleted;

    void IFrameSink.Failed(string reason)
    {
        _measurements.Current?.OnFailure(reason);
        var failure = new InvalidOperationException(reason);
        _ready.TrySetException(failure);
        _subscribed.TrySetException(failure);
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[InitialBuffer];
        var sink = (IFrameSink)this;
        try
        {
            var length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    sink.Failed($"closed by the server: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
                    return;
                }
                length += result.Count;
                if (!result.EndOfMessage)
                {
                    continue;
                }
                _receivedAt = Stopwatch.GetTimestamp();
                var measurements = _measurements.Current;
                measurements?.OnMessage(_receivedAt, length);
                _updatesInMessage = 0;
                try
                {
                    _protocol.Read(buffer.AsSpan(0, length), sink);
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
                {
                    sink.Failed("unreadable message: " + e.Message);
                }
                if (_updatesInMessage > 0)
                {
                    measurements?.OnUpdateMessage(_receivedAt, length, _updatesInMessage);
                }
                length = 0;
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            if (_socket.State != WebSocketState.Aborted)
            {
                sink.Failed("connection lost: " + e.Message);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        await _receiving;
        await _replying;
        _socket.Dispose();
        _sending.Dispose();
    }
}
