using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Realtime.Tests.Infrastructure;

/// <summary>A real WebSocket client that reads JSON frames, with deadlines instead of sleeps.</summary>
public sealed class TestSocket : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly System.Threading.Channels.Channel<JsonElement> _frames = System.Threading.Channels.Channel.CreateUnbounded<JsonElement>();
    private readonly Task _reader;

    private TestSocket(ClientWebSocket socket, bool keepRaw = false)
    {
        _socket = socket;
        Raw = keepRaw ? new() : null;
        // A compact connection's frames are read into the JSON form's shape: every check of that form holds for both.
        Decoder = socket.SubProtocol == Realtime.Gateway.Compact.CompactProtocol.Name ? new CompactDecoder() : null;
        _reader = ReadAll();
    }

    /// <summary>Whether the server accepted permessage-deflate.</summary>
    public bool Deflating => _socket.HttpResponseHeaders?.TryGetValue("Sec-WebSocket-Extensions", out var extensions) == true
        && extensions.Any(e => e.Contains("permessage-deflate", StringComparison.OrdinalIgnoreCase));

    /// <summary>The subprotocol the server accepted (null: the JSON protocol).</summary>
    public string? SubProtocol => _socket.SubProtocol;

    /// <summary>Reads the compact form when the server accepted it; null on a JSON-protocol connection.</summary>
    public CompactDecoder? Decoder { get; }

    /// <summary>
    /// Every message as it came off the wire, for tests that look at the bytes themselves; kept only on sockets that
    /// offered a subprotocol (a test may hold thousands of others).
    /// </summary>
    public System.Collections.Concurrent.ConcurrentQueue<byte[]>? Raw { get; }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public WebSocketState State => _socket.State;

    /// <summary>Completes when the server has closed the socket.</summary>
    public Task Closed => _reader;

    /// <summary>Connects; <paramref name="origin"/> is the Origin header a browser page would send.</summary>
    /// <remarks><paramref name="subProtocols"/> are offered in <c>Sec-WebSocket-Protocol</c>, in order.</remarks>
    public static Task<TestSocket> Connect(Uri uri, string? cookieSession = null, string? origin = null, params string[] subProtocols) =>
        Connect(uri, cookieSession, origin, deflate: false, subProtocols);

    /// <summary>As above; with <paramref name="deflate"/> the client offers permessage-deflate, as browsers do.</summary>
    public static async Task<TestSocket> Connect(Uri uri, string? cookieSession, string? origin, bool deflate, params string[] subProtocols)
    {
        var socket = NewSocket(uri, cookieSession, origin);
        if (deflate)
        {
            socket.Options.DangerousDeflateOptions = new WebSocketDeflateOptions();
        }
        foreach (var subProtocol in subProtocols)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(uri, timeout.Token);
        return new TestSocket(socket, keepRaw: subProtocols.Length > 0);
    }

    /// <summary>Tries to connect and returns the HTTP status the server answered the upgrade with.</summary>
    public static async Task<HttpStatusCode> RefusedStatus(Uri uri) => (await Refused(uri)).Status;

    /// <summary>Tries to connect and returns the HTTP status and headers the server refused the upgrade with.</summary>
    public static async Task<(HttpStatusCode Status, IReadOnlyDictionary<string, IEnumerable<string>> Headers)> Refused(
        Uri uri, string? cookieSession = null, string? origin = null)
    {
        var attempt = await TryConnect(uri, cookieSession, origin);
        if (attempt.Socket is not null)
        {
            await attempt.Socket.DisposeAsync();
            throw new InvalidOperationException("The server accepted the WebSocket");
        }
        return (attempt.Status, attempt.Headers);
    }

    /// <summary>One connection attempt: the socket when the server accepts it, otherwise its HTTP status and headers.</summary>
    public static async Task<(TestSocket? Socket, HttpStatusCode Status, IReadOnlyDictionary<string, IEnumerable<string>> Headers)> TryConnect(
        Uri uri, string? cookieSession = null, string? origin = null)
    {
        var socket = NewSocket(uri, cookieSession, origin);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await socket.ConnectAsync(uri, timeout.Token);
            return (new TestSocket(socket), socket.HttpStatusCode, socket.HttpResponseHeaders ?? new Dictionary<string, IEnumerable<string>>());
        }
        catch (WebSocketException)
        {
            var refused = (socket.HttpStatusCode, socket.HttpResponseHeaders ?? new Dictionary<string, IEnumerable<string>>());
            socket.Dispose();
            return (null, refused.HttpStatusCode, refused.Item2);
        }
    }

    private static ClientWebSocket NewSocket(Uri uri, string? cookieSession, string? origin)
    {
        var socket = new ClientWebSocket();
        if (cookieSession is not null)
        {
            // The header itself rather than a CookieContainer, which refuses cookies over 4 KB that a hostile client may send.
            socket.Options.SetRequestHeader("Cookie", $"sessionid={cookieSession}");
        }
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }
        socket.Options.CollectHttpResponseDetails = true;
        return socket;
    }

    /// <summary>Every frame received, in order, for a reader that wants them all (<see cref="Next"/> reads the same channel).</summary>
    public System.Threading.Channels.ChannelReader<JsonElement> Frames => _frames.Reader;

    public Task SendJson(object frame) => SendText(JsonSerializer.Serialize(frame));

    public Task SendText(string text) => SendRaw(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendRaw(byte[] bytes, WebSocketMessageType type) =>
        _socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);

    /// <summary>The next frame of the given type; frames of other types before it are skipped.</summary>
    public async Task<JsonElement> Next(string type, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Eventually.DefaultTimeout);
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(cts.Token);
                if (frame.GetProperty("type").GetString() == type)
                {
                    return frame;
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
        {
            throw new TimeoutException($"No '{type}' frame arrived (socket {_socket.State}, close {_socket.CloseStatus} {_socket.CloseStatusDescription})");
        }
    }

    /// <summary>Waits until the server closes the socket.</summary>
    public async Task<WebSocketCloseStatus?> WaitClosed(TimeSpan? timeout = null)
    {
        await _reader.WaitAsync(timeout ?? Eventually.DefaultTimeout);
        return _socket.CloseStatus;
    }

    private async Task ReadAll()
    {
        // Small to start with and doubled as a frame needs: a test may hold thousands of sockets.
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2);
                    }
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }
                    return;
                }
                Raw?.Enqueue(buffer.AsSpan(0, count).ToArray());
                if (Decoder is null)
                {
                    _frames.Writer.TryWrite(JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone());
                }
                else if (Decoder.Decode(buffer.AsSpan(0, count)) is { } decoded)
                {
                    _frames.Writer.TryWrite(decoded);
                }
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                // The reader loop owns receiving; it sees the server's close answer and finishes.
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                await _reader.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is WebSocketException or TimeoutException)
            {
            }
        }
        _socket.Dispose();
    }
}
