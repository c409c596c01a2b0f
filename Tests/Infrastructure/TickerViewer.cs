using System.Text.Json;

namespace Realtime.Tests.Infrastructure;

/// <summary>
/// A client that keeps a watchlist open and applies every frame it receives to a <see cref="TickerBoard"/>; when its
/// gateway goes away it reconnects to another and subscribes again with the epoch and seq of each line it holds, as
/// docs/protocol.md 1.10 tells a client to.
/// </summary>
public sealed class TickerViewer(string session, params string[] symbols) : IAsyncDisposable
{
    private TestSocket? _socket;
    private Task _reading = Task.CompletedTask;
    private int _subscribes;

    public TickerBoard Board { get; } = new();

    public string Session => session;

    public IReadOnlyList<string> Symbols => symbols;

    /// <summary>Subscribes answered <c>unavailable</c>, each tried again as the browser library does.</summary>
    public int UnavailableSubscribes { get; private set; }

    /// <summary>Every error frame received, as <c>code: message</c>.</summary>
    public List<string> Errors { get; } = [];

    public Task Closed => _socket?.Closed ?? Task.CompletedTask;

    public string? CloseDescription => _socket?.CloseDescription;

    /// <summary>Connects with <paramref name="connect"/> (given the session) and subscribes, resuming the lines it holds.</summary>
    public async Task Open(Func<string, Task<TestSocket>> connect)
    {
        _socket = await connect(session);
        await _socket.Next("welcome");
        await Subscribe(_socket);
        _reading = Read(_socket);
    }

    private async Task Subscribe(TestSocket socket)
    {
        var held = Board.Lines;
        var resume = held.Count == 0 ? null : held.ToDictionary(l => l.Key, l => new { epoch = l.Value.Epoch, seq = l.Value.Seq });
        await socket.SendJson(new { type = "ticker", id = $"t{++_subscribes}", data = new { action = "subscribe", symbols, resume } });
    }

    private async Task Read(TestSocket socket)
    {
        try
        {
            await foreach (var frame in socket.Frames.ReadAllAsync())
            {
                if (frame.GetProperty("type").GetString() == "error")
                {
                    var error = frame.GetProperty("data");
                    Errors.Add($"{error.GetProperty("code")}: {error.GetProperty("message")}");
                    if (error.GetProperty("code").GetString() == "unavailable")
                    {
                        // The protocol's answer to a line that could not reach this gateway: subscribe again a little later.
                        UnavailableSubscribes++;
                        await Task.Delay(TimeSpan.FromSeconds(2));
                        await Subscribe(socket);
                    }
                    continue;
                }
                Board.Apply(frame);
            }
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
        }
    }

    /// <summary>The lines a fresh subscription on <paramref name="socket"/> gets: the source of truth.</summary>
    public static async Task<IReadOnlyDictionary<string, TickerBoard.Line>> FreshLines(TestSocket socket, params string[] symbols)
    {
        await socket.Next("welcome");
        await socket.SendJson(new { type = "ticker", id = "truth", data = new { action = "subscribe", symbols } });
        var board = new TickerBoard();
        while (board.Lines.Count < symbols.Length)
        {
            board.Apply(await socket.Next("ticker.snapshot"));
        }
        return board.Lines;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            await _socket.DisposeAsync();
        }
        await _reading;
    }
}
