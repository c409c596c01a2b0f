using Realtime.Quotes;
using Realtime.Services;
using Realtime.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Realtime.Tests.Browser;

/// <summary>
/// A bar closes on the server's clock in the browser library: headless Chromium (<c>Client/e2e/barclose.e2e.mjs</c>)
/// opens the demo page, whose default chart shows the bar one quote opened as forming, then as final once its minute
/// and the shipped grace are over, though no other quote came (docs/protocol.md 1.9).
/// </summary>
public sealed class BarClosePageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Symbol = "E2ECLOSE";
    private const long Minute = 60_000;
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(Realtime.Charts.BarCloseOptions.DefaultCloseGraceMilliseconds);

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);

    public async Task InitializeAsync() => await _cluster.StartSilo();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task The_page_sees_its_forming_bar_become_final_when_the_minute_ends_with_no_quote()
    {
        var gateway = await _cluster.StartGateway();
        var url = RealtimeCluster.HttpUri(gateway, "/").GetLeftPart(UriPartial.Authority);
        var session = await DjangoSessions.Store(_cluster.Redis, "signed-small");
        // The current minute, or the next when this one is nearly over: the bar must still be forming when the page opens.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var time = ChartPeriod.BarOpen("1m", now) + Minute - now > 20_000 ? now : now + 21_000;
        var bar = ChartPeriod.BarOpen("1m", time);
        var closesAt = DateTimeOffset.FromUnixTimeMilliseconds(bar + Minute) + Grace;
        await new ServiceQueueClient(_cluster.Redis.Connection, "browser-tests").Push(_cluster.Queue, "quote", new { symbol = Symbol, price = 100.5, volume = 7, time });
        await Eventually.True(() => _cluster.Grains.GetGrain<IQuoteCentreGrain>(Symbol).Exists(), "the quote reached the quote centre");

        var wait = closesAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        await using var browser = NodeProgram.Start("e2e/barclose.e2e.mjs", url, session, Symbol, bar.ToString(), ((long)wait.TotalMilliseconds).ToString());
        try
        {
            await browser.Next("READY forming", TimeSpan.FromSeconds(60));
            await browser.Next("READY final", wait + TimeSpan.FromSeconds(5));
            var seen = DateTimeOffset.UtcNow;
            Assert.True(seen >= closesAt, $"final at {seen:O}, before the minute and the grace ended ({closesAt:O})");
            Assert.Equal(0, await browser.Exit(TimeSpan.FromSeconds(30)));
        }
        finally
        {
            output.WriteLine(browser.Transcript);
        }
    }
}
