using System.Globalization;
using Realtime.Services;
using Realtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Realtime.Tests.Browser;

/// <summary>
/// The TradingView datafeed adapter (<c>Client/src/tvdatafeed.js</c>) driven as the Charting Library drives a datafeed
/// (<c>Client/e2e/tvdatafeed.e2e.mjs</c> plays the library) against a real gateway and silo: the first request and
/// paging until <c>noData</c>, live whole bars per subscriber uid, two subscriptions of one symbol and resolution during
/// a switch, a resolution change, and a gateway restart the subscription lives through.
/// </summary>
public sealed class TradingViewDatafeedTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Symbol = "TVFEED";
    private const long Minute = 60_000;
    private const int History = 200;
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    // Aligned to five minutes, so the live minutes 200-204 and 205-209 make whole 5m bars of their own; in the past, so no quote is in the future.
    private readonly long _start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / (5 * Minute) * (5 * Minute) - 300 * Minute;
    private readonly List<(long Time, double Price, double Volume)> _quotes = [];

    public async Task InitializeAsync() => await _cluster.StartSilo();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task The_datafeed_passes_the_libraries_calls_paging_switches_resolution_changes_and_a_reconnect()
    {
        var onFixedUrl = new Dictionary<string, string?> { ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}" };
        var url = onFixedUrl["Urls"]!;
        var gateway = await _cluster.StartGateway(onFixedUrl);
        var session = await DjangoSessions.Store(_cluster.Redis, "signed-small");
        await Push("bars", new { symbol = Symbol, period = "1m", bars = Enumerable.Range(0, History).Select(HistoryBar).ToArray() });
        await QuotesOfMinute(History);
        await Eventually.True(async () => (await _cluster.Grains.GetGrain<Realtime.Quotes.IQuoteCentreGrain>(Symbol).GetBars("1m", 1000)).Length == History + 1,
            "the history and the first live minute reached the quote centre");

        await using var library = NodeProgram.Start("e2e/tvdatafeed.e2e.mjs", url, session, Symbol);
        try
        {
            await Step(library, $"PAGE 1 {History + 1} {Time(0)} {Time(History)}", "READY page 1");
            await Step(library, "SUBSCRIBE A 1", "READY subscribed A");
            await QuotesOfMinute(History + 1);
            await Step(library, $"EXPECT A {MinuteBar(History + 1)}", "READY seen A");

            // A switch: the library subscribes the new uid before it lets the old one go.
            await Step(library, "SUBSCRIBE B 1", "READY subscribed B");
            await QuotesOfMinute(History + 2);
            await Step(library, $"EXPECT A,B {MinuteBar(History + 2)}", "READY seen A,B");
            await Step(library, "UNSUBSCRIBE A", "READY unsubscribed A");
            await QuotesOfMinute(History + 3);
            await Step(library, $"EXPECT B {MinuteBar(History + 3)}", "READY seen B");

            // A resolution change: 5m history paged to its start, a 5m subscription, the 1m one let go.
            await Step(library, $"PAGE 5 {History / 5 + 1} {Time(0)} {Time(History)}", "READY page 5");
            await Step(library, "SUBSCRIBE C 5", "READY subscribed C");
            await Step(library, "UNSUBSCRIBE B", "READY unsubscribed B");
            await QuotesOfMinute(History + 4);
            await Step(library, $"EXPECT C {FiveMinuteBar(History)}", "READY seen C");

            // The gateway restarts; a minute passes while the library has no connection.
            await _cluster.StopGateway(gateway);
            await QuotesOfMinute(History + 5);
            gateway = await _cluster.StartGateway(onFixedUrl);
            await Step(library, "RESTARTED", "READY resumed");
            await QuotesOfMinute(History + 6);
            await Step(library, $"EXPECT C {FiveMinuteBar(History + 5)}", "READY seen C");
            await Step(library, $"LATEST 1 {MinuteBar(History + 6)}", "READY latest");

            await library.Send("FINISH");
            output.WriteLine(await library.Next("STATS", StepTimeout));
            await library.Next("DONE", StepTimeout);
            Assert.Equal(0, await library.Exit(StepTimeout));
        }
        finally
        {
            output.WriteLine(library.Transcript);
        }
    }

    private static async Task Step(NodeProgram library, string command, string ready)
    {
        await library.Send(command);
        await library.Next(ready, StepTimeout);
    }

    /// <summary>Three quotes inside minute <paramref name="minute"/>.</summary>
    private async Task QuotesOfMinute(int minute)
    {
        var quotes = Enumerable.Range(0, 3).Select(i => (Time: Time(minute) + 1_000 + 20_000 * i, Price: Price(minute, i), Volume: 100.0 + 10 * i)).ToArray();
        _quotes.AddRange(quotes);
        await Push("quote", quotes.Select(q => new { symbol = Symbol, price = q.Price, volume = q.Volume, time = q.Time }).ToArray());
    }

    /// <summary>The bar the quotes pushed make of <paramref name="minutes"/> minutes from <paramref name="first"/>, as the harness prints it.</summary>
    private string Bar(int first, int minutes)
    {
        var quotes = _quotes.Where(q => q.Time >= Time(first) && q.Time < Time(first + minutes)).ToList();
        double[] values = [quotes[0].Price, quotes.Max(q => q.Price), quotes.Min(q => q.Price), quotes[^1].Price, quotes.Sum(q => q.Volume)];
        return $"{Time(first)} {string.Join(' ', values.Select(v => v.ToString(CultureInfo.InvariantCulture)))}";
    }

    private string MinuteBar(int minute) => Bar(minute, 1);

    private string FiveMinuteBar(int first) => Bar(first, 5);

    private Task Push(string type, object data) =>
        new ServiceQueueClient(_cluster.Redis.Connection, "tv-tests").Push(_cluster.Queue, type, data);

    private double[] HistoryBar(int minute)
    {
        var (open, close) = (Price(minute, 0), Price(minute, 2));
        return [Time(minute), open, Math.Max(open, close) + 0.4, Math.Min(open, close) - 0.4, close, 900 + 13 * (minute % 17)];
    }

    private long Time(int minute) => _start + minute * Minute;

    private static double Price(int minute, int tick) => Math.Round(100 + 4 * Math.Sin(minute / 5.0) + 0.6 * Math.Cos(minute * 1.7 + tick), 2);
}
