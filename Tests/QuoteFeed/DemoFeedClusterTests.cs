using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Realtime.QuoteFeed.Demo;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.QuoteFeed;

/// <summary>The demo feed against a real cluster: what it pushes is accepted whole and becomes symbols and live charts.</summary>
public sealed class DemoFeedClusterTests : IAsyncLifetime
{
    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task The_demo_market_becomes_symbols_and_charts_with_history_and_live_updates_and_nothing_is_dead_lettered()
    {
        using var stop = new CancellationTokenSource();
        var options = new DemoFeedOptions { Queue = _cluster.Queue, Symbols = 3, Rate = 30, History = 120 };
        var feed = new DemoFeed(options, seed: 11, _cluster.Redis.Connection, TimeProvider.System, TextWriter.Null, TextWriter.Null);
        var running = feed.Run(stop.Token);
        try
        {
            await using var client = await Connected.As(_cluster, _gateway, "signed-small");
            string[] symbols = [];
            await Eventually.True(async () =>
            {
                await client.Socket.SendJson(new { type = "symbols", id = "s" });
                symbols = [.. (await client.Next("symbols")).GetProperty("data").GetProperty("symbols").EnumerateArray().Select(s => s.GetString()!)];
                return symbols.Length == 3;
            }, "the server knows the demo symbols");
            Assert.Equal(["AAPL", "GOOG", "MSFT"], symbols);

            await client.Socket.SendJson(new
            {
                type = "mychart",
                id = "open",
                data = new { action = "open", chartId = "c1", symbol = "MSFT", period = "1m", mode = "dynamic", indicators = new[] { "SMA(5)" }, count = 100 },
            });
            var snapshot = (await client.Next("chart.snapshot")).GetProperty("data");
            Assert.Equal(100, snapshot.GetProperty("bars").GetArrayLength());
            var update = (await client.Next("chart.update")).GetProperty("data");
            Assert.Equal(snapshot.GetProperty("epoch").GetString(), update.GetProperty("epoch").GetString());
        }
        finally
        {
            await stop.CancelAsync();
            await running.WaitAsync(Eventually.DefaultTimeout);
        }

        Assert.Empty(await _cluster.Redis.Database.ListRangeAsync(_cluster.Queue + ":dead", 0, 9));
    }
}
