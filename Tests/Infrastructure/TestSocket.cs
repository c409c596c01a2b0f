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

    private TestSocket(ClientWebSocket socket)
    {
        _socket = socket;
        _reader = ReadAll();
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public WebSocketState State => _socket.State;

    /// <summary>Completes when the server has closed the socket.</summary>
    public Task Closed => _reader;

    public static async Task<TestSocket> Connect(Uri uri, string? cookieSession = null)
    {
        var socket = new ClientWebSocket();
        if (cookieSession is not null)
        {
            socket.Options.Cookies = new CookieContainer();
            socket.Options.Cookies.Add(new Cookie("sessionid", cookieSession, "/", uri.Host));
        }
        socket.Options.CollectHttpResponseDetails = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(uri, timeout.Token);
        return new TestSocket(socket);
    }

    /// <summary>Tries to connect and returns the HTTP status the server answered the upgrade with.</summary>
    public static async Task<HttpStatusCode> RefusedStatus(Uri uri)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(uri, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
        throw new InvalidOperationException("The server accepted the WebSocket");
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
        var buffer = new byte[1 << 20];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
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
                _frames.Writer.TryWrite(JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone());
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
