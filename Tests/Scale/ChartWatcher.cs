using System.Text.Json;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Scale;

/// <summary>
/// A client that keeps one dynamic chart open and records every update it receives, reconnecting to another
/// gateway with <c>resume</c> when its gateway goes away: what a browser running the client library does.
/// </summary>
public sealed class ChartWatcher : IAsyncDisposable
{
    private readonly string _session;
    private readonly string _chartId;
    private readonly object _gate = new();
    private readonly List<Arrival> _arrivals = [];
    private TestSocket? _socket;
    private Task _reading = Task.CompletedTask;
    private string _epoch = "";
    private long _seq;

    public ChartWatcher(string session, string chartId)
    {
        _session = session;
        _chartId = chartId;
    }

    public sealed record Arrival(DateTime At, string Epoch, long Seq, double Close);

    public string SessionKey => _session;

    public IReadOnlyList<Arrival> Arrivals
    {
        get
        {
            lock (_gate)
            {
                return [.. _arrivals];
            }
        }
    }

    public int Reconnects { get; private set; }

    public bool Connected => _socket is { State: System.Net.WebSockets.WebSocketState.Open };

    public double LastClose => Arrivals.LastOrDefault()?.Close ?? 0;

    /// <summary>Connects to <paramref name="gateway"/> and opens the chart, resuming where it left off if it had one.</summary>
    public async Task Open(Uri gateway, string symbol)
    {
        _socket = await TestSocket.Connect(gateway);
        await _socket.Next("welcome");
        object? resume = _epoch.Length > 0 ? new { epoch = _epoch, seq = _seq } : null;
        await _socket.SendJson(new
        {
            type = "mychart",
            id = _chartId,
            data = new { action = "open", chartId = _chartId, symbol, period = "1m", indicators = new[] { "MA(5)" }, count = 50, resume },
        });
        if (resume is not null)
        {
            Reconnects++;
        }
        _reading = ReadUpdates(_socket);
    }

    private async Task ReadUpdates(TestSocket socket)
    {
        try
        {
            while (true)
            {
                var frame = await socket.Next("chart.update", TimeSpan.FromMinutes(5));
                var data = frame.GetProperty("data");
                Record(data.GetProperty("epoch").GetString()!, data.GetProperty("seq").GetInt64(), LastBarClose(data));
            }
        }
        catch (TimeoutException)
        {
            // The socket closed (the gateway died) or the test is over.
        }
    }

    private void Record(string epoch, long seq, double close)
    {
        lock (_gate)
        {
            _epoch = epoch;
            _seq = seq;
            _arrivals.Add(new Arrival(DateTime.UtcNow, epoch, seq, close));
        }
    }

    private static double LastBarClose(JsonElement data)
    {
        var bars = data.GetProperty("bars");
        return bars[bars.GetArrayLength() - 1][4].GetDouble();
    }

    public Task Closed => _socket?.Closed ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_socket is not null)
        {
            await _socket.DisposeAsync();
        }
        await _reading;
    }
}
