using System.Buffers;
using System.Collections.Immutable;
using System.Net.WebSockets;
using Realtime.Connections;
using Realtime.Users;

namespace Realtime.Gateway.Connections;

/// <summary>
/// One accepted WebSocket: a receive loop that turns client frames into grain calls, and a sender that drains
/// the <see cref="OutgoingQueue"/>. Only the sender writes to the socket, so grains' pushes never contend.
/// </summary>
/// <remarks>
/// The sender is not a loop waiting on every connection: a frame that finds the queue idle schedules one on the
/// thread pool, and it runs until the queue is empty. Fanning one chart update out to thousands of connections
/// then costs a queued work item per idle connection, with no execution context to flow and no wait to wake.
/// </remarks>
internal sealed class ClientConnection : IThreadPoolWorkItem
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(5);
    // Client frames are requests of a few hundred bytes; the buffer doubles when a frame needs more.
    private const int InitialReceiveBytes = 256;

    private readonly WebSocket _socket;
    private readonly GatewayOptions _options;
    private readonly OutgoingQueue _outgoing;
    private readonly RateLimiter _rateLimiter;
    private readonly ILogger _logger;
    private readonly GatewayMetrics _metrics;
    private readonly object _closeGate = new();
    private readonly TaskCompletionSource _sendingEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private (int Code, string Reason)? _closeRequest;
    private long _conflatedReported;
    private int _closeSent;
    // When the heartbeat last pinged this connection (Environment.TickCount64); only the sweeper touches it.
    private long _pinged = long.MinValue;

    public ClientConnection(WebSocket socket, string userId, string instanceId, GatewayOptions options, TimeProvider clock, GatewayMetrics metrics, ILogger logger, bool compact = false)
    {
        Compact = compact;
        _metrics = metrics;
        _socket = socket;
        UserId = userId;
        InstanceId = instanceId;
        _options = options;
        _outgoing = new OutgoingQueue(options.SendQueueCapacity, clock);
        _rateLimiter = new RateLimiter(options.MessagesPerSecond, options.MessageBurst, options.RateLimitStrikes, clock);
        _logger = logger;
    }

    public string UserId { get; }

    public string InstanceId { get; }

    /// <summary>The client negotiated the compact form (docs/protocol.md 1.13): its topics' frames are sent compact.</summary>
    public bool Compact { get; }

    /// <summary>Frames dropped because a newer one with the same conflation key replaced them.</summary>
    public long Conflated => _outgoing.Conflated;

    /// <summary>Queues a frame; a client too slow to keep up with frames that may not be dropped is disconnected.</summary>
    public void Send(ServerFrame frame)
    {
        if (_outgoing.TryEnqueue(frame, out var startSender))
        {
            if (startSender)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
            }
        }
        else
        {
            _logger.LogWarning("Closing connection {InstanceId} of user {UserId}: its send queue is full", InstanceId, UserId);
            Close(CloseCodes.TryAgainLater, "send queue full: the client reads too slowly", discardPending: true);
        }
    }

    /// <summary>
    /// Asks the send loop to close the socket once it has sent what is queued (or at once with
    /// <paramref name="discardPending"/>). A client that does not answer the close in time is aborted.
    /// </summary>
    public void Close(int code, string reason, bool discardPending = false)
    {
        lock (_closeGate)
        {
            if (_closeRequest is not null)
            {
                return;
            }
            _closeRequest = (code, reason);
        }
        if (code != CloseCodes.Normal)
        {
            _metrics.Closes.Add(1, new KeyValuePair<string, object?>("code", code));
        }
        if (_outgoing.Complete(discardPending))
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
        _ = AbortIfNotClosed();
    }

    /// <summary>Receives until the client closes or the socket is aborted, then waits for the sender to finish.</summary>
    /// <remarks>
    /// No cancellation token: a cancellable receive registers a callback that every idle connection would hold. A
    /// connection that goes away (the peer, the heartbeat timeout, <see cref="Close"/>'s abort, the server stopping)
    /// ends the receive through the socket itself.
    /// </remarks>
    public async Task Run(IUserGrain user)
    {
        try
        {
            await ReceiveLoop(user);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer vanished or the heartbeat timed out: nothing to answer, only clean up.
            _logger.LogDebug("Connection {InstanceId} of user {UserId} ended: {Error}", InstanceId, UserId, e.Message);
        }
        Close(CloseCodes.Normal, "");
        await _sendingEnded.Task;
    }

    private async Task ReceiveLoop(IUserGrain user)
    {
        // Between frames the connection holds no buffer: it waits with a zero-byte receive, which completes when the
        // next frame starts to arrive, and only then rents one. An idle connection so costs no receive buffer at all.
        byte[]? buffer = null;
        try
        {
            var length = 0;
            var discarding = false;
            while (true)
            {
                if (buffer is null)
                {
                    var waited = await _socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                    if (waited.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }
                    if (waited.EndOfMessage)
                    {
                        // A frame without payload: refused like any other frame that is not a JSON message.
                        if (!discarding && !IsClosing)
                        {
                            await HandleFrame(user, waited.MessageType, ReadOnlyMemory<byte>.Empty);
                        }
                        continue;
                    }
                    buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBytes);
                }
                else if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                length += result.Count;
                if (discarding || length > _options.MaxFrameBytes)
                {
                    if (!discarding)
                    {
                        Close(CloseCodes.MessageTooBig, $"frame larger than {_options.MaxFrameBytes} bytes", discardPending: true);
                        discarding = true;
                    }
                    length = 0;
                    continue;
                }
                if (!result.EndOfMessage)
                {
                    continue;
                }
                var frameLength = length;
                length = 0;
                if (!IsClosing)
                {
                    await HandleFrame(user, result.MessageType, buffer.AsMemory(0, frameLength));
                }
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = null;
            }
        }
        finally
        {
            if (buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private async Task HandleFrame(IUserGrain user, WebSocketMessageType kind, ReadOnlyMemory<byte> frame)
    {
        _metrics.FramesIn.Add(1);
        UserMessage? message = null;
        ServerFrame? error;
        if (kind == WebSocketMessageType.Binary)
        {
            error = ServerFrame.Error(ErrorCodes.BinaryNotSupported, "Binary frames are not supported; send JSON text frames.");
        }
        else
        {
            (message, error) = ClientFrameParser.Parse(frame.Span);
        }

        if (!_rateLimiter.TryAcquire())
        {
            Send(ServerFrame.Error(ErrorCodes.RateLimited, $"More than {_options.MessagesPerSecond} frames per second; this frame was dropped.", message?.IdJson));
            if (_rateLimiter.Exhausted)
            {
                _logger.LogWarning("Closing connection {InstanceId} of user {UserId}: rate limit exceeded", InstanceId, UserId);
                Close(CloseCodes.RateLimited, "rate limit exceeded");
            }
            return;
        }
        if (error is not null)
        {
            Send(error);
            return;
        }

        ImmutableArray<ServerFrame> replies;
        try
        {
            replies = await user.Receive(InstanceId, message!);
        }
        catch (Exception e)
        {
            _logger.LogWarning("User grain of {UserId} unreachable for {Type} from {InstanceId}: {Error}", UserId, message!.Type, InstanceId, e.Message);
            Send(ServerFrame.Error(ErrorCodes.Unavailable, "The server could not handle this message now; try again.", message.IdJson));
            return;
        }
        foreach (var reply in replies)
        {
            Send(reply);
        }
    }

    void IThreadPoolWorkItem.Execute() => _ = SendQueued();

    /// <summary>
    /// One visit of the gateway's heartbeat at <paramref name="now"/> (Environment.TickCount64): pings a connection
    /// that has been silent, aborts one whose ping has gone unanswered too long. Anything the client sent after the
    /// ping (its pong, above all) answers it.
    /// </summary>
    internal HeartbeatOutcome Heartbeat(long now, Heartbeat heartbeat)
    {
        if (Batches is not { } stream || _socket.State != WebSocketState.Open)
        {
            return HeartbeatOutcome.None;
        }
        var heard = stream.LastReadAt;
        if (_pinged > heard)
        {
            if (now - _pinged < heartbeat.AbortAfter)
            {
                return HeartbeatOutcome.None;
            }
            _socket.Abort();
            return HeartbeatOutcome.Aborted;
        }
        if (now - heard < heartbeat.PingAfter)
        {
            return HeartbeatOutcome.None;
        }
        _pinged = now;
        _ = Ping(stream);
        return HeartbeatOutcome.Pinged;
    }

    private async Task Ping(SendBatchStream stream)
    {
        try
        {
            await stream.WritePingAsync();
        }
        catch (Exception e)
        {
            // A connection that cannot take a ping is going away; its receive loop sees that and cleans up.
            _logger.LogDebug("Ping to connection {InstanceId} of user {UserId} failed: {Error}", InstanceId, UserId, e.Message);
        }
    }

    /// <summary>
    /// The stream under the socket when it can gather frames (<see cref="SendBatchStream"/>): the frames waiting when
    /// the sender runs then leave in one write. Null: each frame is written on its own.
    /// </summary>
    public SendBatchStream? Batches { get; init; }

    private async Task SendQueued()
    {
        try
        {
            await SendWaitingFrames();
            ReportConflated();
            if (_outgoing.IsCompleted && Interlocked.Exchange(ref _closeSent, 1) == 0)
            {
                var (code, reason) = _closeRequest ?? (CloseCodes.Normal, "");
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
                }
                _sendingEnded.TrySetResult();
            }
        }
        catch (Exception e)
        {
            // Whatever broke the send, the socket is of no more use; the receive loop sees the abort and cleans up.
            _logger.LogDebug("Sending to connection {InstanceId} of user {UserId} failed: {Error}", InstanceId, UserId, e.Message);
            _socket.Abort();
            _sendingEnded.TrySetResult();
        }
    }

    /// <summary>
    /// Sends until the queue is empty. With <see cref="Batches"/>, the WebSocket's writes are gathered and leave in
    /// one write whenever the queue runs dry or a batch reaches the socket's send buffer size, so a client that is
    /// keeping up gets each frame at once and one that is behind gets what waits for it in few system calls.
    /// </summary>
    private async Task SendWaitingFrames()
    {
        var batches = Batches;
        var counted = new FrameCounter(_metrics);
        try
        {
            batches?.Hold();
            while (_outgoing.TryDequeue(out var frame))
            {
                if (batches is { PlainFrames: true })
                {
                    // The frame goes into the batch as the WebSocket would write it, without its send lock and copy:
                    // the largest per-frame cost of a fan-out after the system call. Its send's first check stays:
                    // no data frame once the close handshake has begun.
                    if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
                    {
                        throw new WebSocketException(WebSocketError.InvalidState, $"The WebSocket is {_socket.State}.");
                    }
                    batches.HoldTextFrame(frame.Utf8Json);
                }
                else
                {
                    // No cancellation token: a cancellable send takes the WebSocket's slow path on every frame. A send
                    // that never completes ends when the socket is aborted (heartbeat timeout, close handshake timeout).
                    await _socket.SendAsync(frame.Utf8Json, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
                counted.Add(frame.Type);
                if (batches is not null && batches.HeldBytes >= _options.SocketSendBufferBytes)
                {
                    await batches.FlushHeldAsync();
                    batches.Hold();
                }
            }
        }
        finally
        {
            counted.Report();
        }
        if (batches is not null)
        {
            await batches.FlushHeldAsync();
        }
    }

    private void ReportConflated()
    {
        var conflated = _outgoing.Conflated;
        var previous = Interlocked.Exchange(ref _conflatedReported, conflated);
        if (conflated > previous)
        {
            _metrics.Conflated.Add(conflated - previous);
        }
    }

    private bool IsClosing
    {
        get
        {
            lock (_closeGate)
            {
                return _closeRequest is not null;
            }
        }
    }

    private async Task AbortIfNotClosed()
    {
        await Task.Delay(CloseHandshakeTimeout);
        if (_socket.State != WebSocketState.Closed)
        {
            _socket.Abort();
        }
    }
}
