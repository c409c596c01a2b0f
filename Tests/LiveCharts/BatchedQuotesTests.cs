using Realtime.Quotes;
using Realtime.Services;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.LiveCharts;

/// <summary>
/// Quotes that arrive together (one message holding many, or many messages the pump takes in one batch) become one
/// tick and one update, which must still carry every bar they opened: a live chart never skips a bar.
/// </summary>
public sealed class BatchedQuotesTests : IAsyncLifetime
{
    private const string Symbol = "BATCH";
    private static readonly string[] Indicators = ["MA(5)", "MACD"];

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
        await Infrastructure.Quotes.BackfillHistory(_cluster, Symbol);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Func<string, Task<TestSocket>> Gateway => session => TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, session));

    [Fact]
    public async Task One_message_opening_three_bars_reaches_the_live_chart_as_all_three()
    {
        await using var viewer = await OpenViewer("signed-small");

        var start = Infrastructure.Quotes.T0 + 30 * 60_000L;
        var quotes = new[]
        {
            Quote(start + 1_000, 130, 2), Quote(start + 61_000, 131, 3), Quote(start + 62_000, 129, 4), Quote(start + 121_000, 132, 5),
        };
        await new ServiceQueueClient(_cluster.Redis.Connection, "tests").Push(_cluster.Queue, "quote", quotes);

        await Eventually.True(() => viewer.Chart.Points.ContainsKey(start + 120_000), "the third new bar reached the chart");
        Assert.Equal(1, viewer.Chart.Updates);
        await AssertExact(viewer, quotes, start);
    }

    [Fact]
    public async Task Messages_the_pump_takes_in_one_batch_lose_no_bar()
    {
        await using var viewer = await OpenViewer("signed-plain");

        // 300 quotes over 30 minutes, pushed in one round trip: the pump takes them as a few batches.
        var start = Infrastructure.Quotes.T0 + 30 * 60_000L;
        var quotes = Enumerable.Range(0, 300).Select(i => Quote(start + i * 6_000L, 130 + i % 7, 1 + i % 3)).ToArray();
        await new ServiceQueueClient(_cluster.Redis.Connection, "tests").PushMany(_cluster.Queue, "quote", quotes);

        await Eventually.True(() => viewer.Chart.Points.ContainsKey(start + 29 * 60_000L) && viewer.Chart.Points[start + 29 * 60_000L].Bar[5] == quotes.Where(q => q.time >= start + 29 * 60_000L).Sum(q => q.volume), "the last quote reached the chart");
        Assert.True(viewer.Chart.Updates < quotes.Length, $"{viewer.Chart.Updates} updates: the quotes were not batched, so this proves nothing");
        await AssertExact(viewer, quotes, start);
    }

    private async Task<ChartViewer> OpenViewer(string sessionName)
    {
        var viewer = new ChartViewer(await DjangoSessions.Store(_cluster.Redis, sessionName), Symbol, Indicators);
        await viewer.Open(Gateway);
        await Eventually.True(() => viewer.Chart.Snapshots == 1, "the snapshot arrived");
        return viewer;
    }

    private static QuoteData Quote(long time, double price, double volume) => new(Symbol, price, volume, time);

    /// <summary>The quote as a forwarder sends it.</summary>
    private sealed record QuoteData(string symbol, double price, double volume, long time);

    /// <summary>What the viewer holds equals a fresh static snapshot, and every new bar's volume is the quotes' sum.</summary>
    private async Task AssertExact(ChartViewer viewer, IReadOnlyList<QuoteData> quotes, long start)
    {
        Assert.Empty(viewer.Chart.Violations);
        await using var truthSocket = await Gateway(await DjangoSessions.Store(_cluster.Redis, "legacy-pre-3.1"));
        var truth = await ChartViewer.StaticSnapshot(truthSocket, Symbol, Indicators);
        Assert.Empty(viewer.Chart.DifferencesFrom(truth));
        foreach (var minute in quotes.GroupBy(q => start + (q.time - start) / 60_000 * 60_000))
        {
            Assert.Equal(minute.Sum(q => q.volume), viewer.Chart.Points[minute.Key].Bar[5]);
        }
    }
}
