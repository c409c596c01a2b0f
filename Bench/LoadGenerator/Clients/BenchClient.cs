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
    private readonly StreamMeasurements? _measurements;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sending = new(1, 1);
    private int _pendingSubscriptions;
    private long _receivedAt;
    private Task _receiving = Task.CompletedTask;

    public BenchClient(IBenchProtocol protocol, StreamMeasurements? measurements)
    {
        _protocol = protocol;
        _measurements = measurements;
        // The servers ping; the client only answers. No unsolicited pongs muddy the traffic.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
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

    void IFrameSink.Update(long quoteSeq) => _measurements?.OnUpdate(quoteSeq, _receivedAt);

    void IFrameSink.Failed(string reason)
    {
        _measurements?.OnFailure(reason);
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
                _measurements?.OnMessage(_receivedAt, length);
                try
                {
                    _protocol.Read(buffer.AsSpan(0, length), sink);
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
                {
                    sink.Failed("unreadable message: " + e.Message);
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
        _socket.Dispose();
        _sending.Dispose();
    }
}
