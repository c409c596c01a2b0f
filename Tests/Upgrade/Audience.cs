using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Upgrade;

/// <summary>
/// The clients of a rolling upgrade: chart viewers and watchlist viewers, each kept connected through the gateway
/// pool, moving to another gateway whenever theirs drains. Disposing closes them all.
/// </summary>
public sealed class Audience(GatewayPool pool) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _roaming = [];

    public List<ChartViewer> Charts { get; } = [];

    public List<TickerViewer> Tickers { get; } = [];

    /// <summary>Opens a chart first on <paramref name="gateway"/>, then wherever the pool sends it.</summary>
    public async Task OpenChart(string session, string symbol, string[] indicators, ProductProcess gateway)
    {
        var viewer = new ChartViewer(session, symbol, indicators);
        Charts.Add(viewer);
        await viewer.Open(s => TestSocket.Connect(gateway.WebSocket(s)));
        _roaming.Add(pool.KeepConnected(() => viewer.Closed, () => viewer.CloseDescription, viewer.Open, _stop.Token));
    }

    /// <summary>Opens a watchlist first on <paramref name="gateway"/>, then wherever the pool sends it.</summary>
    public async Task OpenTicker(string session, string[] symbols, ProductProcess gateway)
    {
        var viewer = new TickerViewer(session, symbols);
        Tickers.Add(viewer);
        await viewer.Open(s => TestSocket.Connect(gateway.WebSocket(s)));
        _roaming.Add(pool.KeepConnected(() => viewer.Closed, () => viewer.CloseDescription, viewer.Open, _stop.Token));
    }

    /// <summary>Fails with its reason when a client gave up reconnecting.</summary>
    public void ThrowIfOneGaveUp()
    {
        if (_roaming.FirstOrDefault(t => t.IsFaulted) is { } gaveUp)
        {
            throw new InvalidOperationException("a client gave up reconnecting", gaveUp.Exception!.InnerException);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var viewer in Charts)
        {
            await viewer.DisposeAsync();
        }
        foreach (var viewer in Tickers)
        {
            await viewer.DisposeAsync();
        }
        try
        {
            await Task.WhenAll(_roaming).WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception)
        {
            // A client that gave up failed the test already (ThrowIfOneGaveUp); closing must not hide why.
        }
        _stop.Dispose();
    }
}
