using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Realtime.Services;
using Realtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Realtime.Tests.Browser;

/// <summary>
/// The demo page as a person sees it: headless Chromium (Debian's <c>chromium</c>, driven by
/// <c>Client/e2e/chart.e2e.mjs</c>) logs in with a Django session cookie, finds a live chart opened without a click
/// (ECharts), opens a second one drawn with Lightweight Charts, watches quotes become candles on both, lives through a
/// gateway restart, checks both end equal to a static snapshot in their data and their drawing, sees the watchlist
/// beside them show the symbol's line equal to its day bars, and saves screenshots (the page, and each renderer's
/// chart) under <c>artifacts/e2e/</c>. Run again with the page asking for <c>maxRate=1</c>: the same, exact, and no
/// chart or line gets two updates less than a second apart (0.7 s, for what a loaded machine delays).
/// </summary>
public sealed class ChartPageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Symbol = "E2EDEMO";
    private const long Minute = 60_000;
    private const long Day = 86_400_000;
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);

    // History ends well in the past, so every quote the test pushes is later than it and none lies in the future.
    private readonly long _start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / Minute * Minute - 90 * Minute;

    public async Task InitializeAsync() => await _cluster.StartSilo();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public Task A_browser_sees_quotes_become_candles_and_resumes_its_chart_after_the_gateway_restarts() =>
        RunDemoPage("", "chart.png");

    [Fact]
    public Task A_page_asking_for_maxRate_1_gets_at_most_an_update_a_second_and_ends_exact()
    {
        // Each quote its own message, so each makes its own update: bursts of three that the gateway must fold.
        _onePushPerQuote = true;
        return RunDemoPage("maxRate=1", "chart-maxrate.png");
    }

    private bool _onePushPerQuote;

    private async Task RunDemoPage(string query, string screenshotName)
    {
        // A fixed address, so the restarted gateway is where the page reconnects to.
        var onFixedUrl = new Dictionary<string, string?> { ["Urls"] = $"http://127.0.0.1:{FreePort.Next()}" };
        var url = onFixedUrl["Urls"]!;
        var gateway = await _cluster.StartGateway(onFixedUrl);
        await AssertDemoPageIsServed(url);
        var session = await DjangoSessions.Store(_cluster.Redis, "signed-small");
        // Yesterday's close, so the watchlist has a change to show.
        var today = Time(0) / Day * Day;
        await Push("bars", new { symbol = Symbol, period = "1d", bars = new[] { new double[] { today - Day, 97, 101, 96, 98.5, 52_000 } } });
        await Push("bars", new { symbol = Symbol, period = "1m", bars = Enumerable.Range(0, 60).Select(HistoryBar).ToArray() });
        await QuotesOfMinute(60);
        await WaitForSymbol(gateway, session);
        var screenshot = Path.Combine(RepositoryPaths.Root, "artifacts", "e2e", screenshotName);
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        File.Delete(screenshot);

        await using var browser = NodeProgram.Start("e2e/chart.e2e.mjs", url, session, Symbol, screenshot, query);
        try
        {
            var opened = await browser.Next("READY chart-open", StepTimeout);
            Assert.StartsWith("READY chart-open 61 ", opened);

            await QuotesOfMinute(61);
            var close = await QuotesOfMinute(62);
            await browser.Send($"EXPECT 63 {Time(62)} {Format(close)}");
            await browser.Next("READY seen 63", StepTimeout);
            await ExpectLine(browser);

            await _cluster.StopGateway(gateway);
            await QuotesOfMinute(63); // while the page has no gateway: only the resume can bring this candle
            gateway = await _cluster.StartGateway(onFixedUrl);
            await browser.Send("RESTARTED");
            await browser.Next("READY resumed", StepTimeout);

            close = await QuotesOfMinute(64);
            await browser.Send($"EXPECT 65 {Time(64)} {Format(close)}");
            await browser.Next("READY seen 65", StepTimeout);
            await ExpectLine(browser);

            await browser.Send("FINISH");
            await browser.Next("DONE", StepTimeout);
            Assert.Equal(0, await browser.Exit(StepTimeout));
            Assert.True(File.Exists(screenshot), $"no screenshot at {screenshot}");
            output.WriteLine($"screenshot: {screenshot}");
        }
        finally
        {
            output.WriteLine(browser.Transcript);
        }
    }

    /// <summary>The watchlist row must show the symbol's day bars as the quote centre holds them.</summary>
    private async Task ExpectLine(NodeProgram browser)
    {
        var centre = _cluster.Grains.GetGrain<Realtime.Quotes.IQuoteCentreGrain>(Symbol);
        var days = await centre.GetBars("1d", 2);
        var previous = days.Length > 1 ? Format(days[^2].Close) : "null";
        await browser.Send($"LINE {Format(days[^1].Close)} {Format(days[^1].Volume)} {previous}");
        await browser.Next("READY line", StepTimeout);
    }

    private async Task AssertDemoPageIsServed(string url)
    {
        using var http = new HttpClient();
        var page = await http.GetAsync(url + "/");
        Assert.True(page.IsSuccessStatusCode,
            $"GET / answered {(int)page.StatusCode}: the client is not built into Gateway/wwwroot (scripts/test.sh runs npm ci and npm run build in Client/ before dotnet build)");
    }

    /// <summary>Waits until the cluster has taken in the history and the first quote: the symbol is listed.</summary>
    private async Task WaitForSymbol(WebApplication gateway, string session)
    {
        await using var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(gateway, session));
        await socket.Next("welcome");
        await Eventually.True(async () =>
        {
            await socket.SendJson(new { type = "symbols" });
            var symbols = (await socket.Next("symbols")).GetProperty("data").GetProperty("symbols");
            return symbols.EnumerateArray().Any(s => s.GetString() == Symbol);
        }, $"{Symbol} is among the symbols");
    }

    /// <summary>Three quotes inside minute <paramref name="minute"/>; returns the last price, the candle's close.</summary>
    private async Task<double> QuotesOfMinute(int minute)
    {
        var prices = new[] { Price(minute, 0), Price(minute, 1), Price(minute, 2) };
        var quotes = prices.Select((price, i) => new { symbol = Symbol, price, volume = 100 + 10 * i, time = Time(minute) + 1_000 + 20_000 * i });
        if (_onePushPerQuote)
        {
            foreach (var quote in quotes)
            {
                await Push("quote", quote);
            }
        }
        else
        {
            await Push("quote", quotes.ToArray());
        }
        return prices[^1];
    }

    private Task Push(string type, object data) =>
        new ServiceQueueClient(_cluster.Redis.Connection, "browser-tests").Push(_cluster.Queue, type, data);

    private double[] HistoryBar(int minute)
    {
        var (open, close) = (Price(minute, 0), Price(minute, 2));
        return [Time(minute), open, Math.Max(open, close) + 0.4, Math.Min(open, close) - 0.4, close, 900 + 13 * (minute % 17)];
    }

    private long Time(int minute) => _start + minute * Minute;

    /// <summary>A wavy price, rounded to cents so that C# and JavaScript print it the same way.</summary>
    private static double Price(int minute, int tick) => Math.Round(100 + 4 * Math.Sin(minute / 5.0) + 0.6 * Math.Cos(minute * 1.7 + tick), 2);

    private static string Format(double price) => price.ToString(CultureInfo.InvariantCulture);
}
