using System.Text.Json;

namespace Realtime.Tests.Infrastructure;

/// <summary>
/// A client that keeps one dynamic chart open and applies every frame it receives to a <see cref="LiveChart"/>;
/// when its gateway goes away it reconnects to another and resumes with the epoch and seq it holds, as the browser
/// library does.
/// </summary>
public sealed class ChartViewer : IAsyncDisposable
{
    private readonly string _session;
    private readonly string _symbol;
    private readonly string[] _indicators;
    private TestSocket? _socket;
    private Task _reading = Task.CompletedTask;
    private int _opens;
    private int _connects;

    public ChartViewer(string session, string symbol, params string[] indicators)
    {
        _session = session;
        _symbol = symbol;
        _indicators = indicators;
    }

    public LiveChart Chart { get; } = new();

    public string Session => _session;

    public string Symbol => _symbol;

    /// <summary>The <c>maxRate</c> the chart is opened with (null: every update).</summary>
    public double? MaxRate { get; init; }

    public int Reconnects => Math.Max(0, _connects - 1);

    /// <summary>Opens answered <c>unavailable</c> (the cluster could not reach the chart yet), each tried again as the browser library does.</summary>
    public int UnavailableOpens { get; private set; }

    /// <summary>Every error frame received, as <c>code: message</c>.</summary>
    public List<string> Errors { get; } = [];

    public Task Closed => _socket?.Closed ?? Task.CompletedTask;

    /// <summary>How the server closed the current socket, once <see cref="Closed"/> completed.</summary>
    public System.Net.WebSockets.WebSocketCloseStatus? CloseStatus => _socket?.CloseStatus;

    public string? CloseDescription => _socket?.CloseDescription;

    /// <summary>Connects with <paramref name="connect"/> (given the session) and opens the chart, resuming if it holds one.</summary>
    public async Task Open(Func<string, Task<TestSocket>> connect)
    {
        _socket = await connect(_session);
        _connects++;
        await _socket.Next("welcome");
        await SendOpen(_socket);
        _reading = Read(_socket);
    }

    private async Task SendOpen(TestSocket socket)
    {
        object? resume = Chart.Seq >= 0 ? new { epoch = Chart.Epoch, seq = Chart.Seq } : null;
        var chartId = $"c{++_opens}";
        await socket.SendJson(new
        {
            type = "mychart",
            id = chartId,
            data = new { action = "open", chartId, symbol = _symbol, period = "1m", indicators = _indicators, count = 1000, resume, maxRate = MaxRate },
        });
    }

    /// <summary>A fresh static snapshot of the same chart, read on a connection of its own: the source of truth.</summary>
    public static async Task<JsonElement> StaticSnapshot(TestSocket socket, string symbol, params string[] indicators)
    {
        await socket.Next("welcome");
        await socket.SendJson(new
        {
            type = "mychart",
            id = "truth",
            data = new { action = "open", chartId = "truth", symbol, period = "1m", mode = "static", indicators, count = 1000 },
        });
        return await socket.Next("chart.snapshot");
    }

    private async Task Read(TestSocket socket)
    {
        try
        {
            await foreach (var frame in socket.Frames.ReadAllAsync())
            {
                if (frame.GetProperty("type").GetString() == "error")
                {
                    Errors.Add($"{frame.GetProperty("data").GetProperty("code")}: {frame.GetProperty("data").GetProperty("message")}");
                }
                if (IsUnavailable(frame))
                {
                    // The browser library's answer to an outage: the same open again a little later.
                    UnavailableOpens++;
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    await SendOpen(socket);
                    continue;
                }
                Chart.Apply(frame);
            }
        }
        catch (System.Threading.Channels.ChannelClosedException)
        {
        }
    }

    private static bool IsUnavailable(JsonElement frame) =>
        frame.GetProperty("type").GetString() == "error"
        && frame.GetProperty("data").GetProperty("code").GetString() == "unavailable";

    public async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            await _socket.DisposeAsync();
        }
        await _reading;
    }
}
