using Realtime.Quotes;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.LiveCharts;

/// <summary>
/// Bar semantics as a viewer sees them (docs/protocol.md 1.9), with the shipped defaults: a forming bar is sent final
/// by the server's clock when its minute and the grace are over, though no quote comes; a quote that lands in a bar
/// already sent final arrives as a revision; a backfill that rewrites bars a viewer holds makes it reload through an
/// unasked snapshot. Each viewer ends exact against a fresh snapshot, and <see cref="LiveChart"/> records any bar that
/// changed after it was final without a revision.
/// </summary>
public sealed class BarCloseTests : IAsyncLifetime
{
    private const long Minute = 60_000;
    private static readonly string[] Indicators = ["MA(5)", "MACD"];
    // Charts:CloseGraceMilliseconds as shipped.
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(Realtime.Charts.BarCloseOptions.DefaultCloseGraceMilliseconds);

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Func<string, Task<TestSocket>> Gateway => session => TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, session));

    [Fact]
    public async Task A_forming_bar_is_sent_final_when_its_minute_ends_though_no_quote_comes()
    {
        const string symbol = "CLOSE";
        // A quote of the current minute, or of the next when this one is nearly over: the bar must still be forming
        // when the viewer opens it, so only the close timer can make it final.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var time = ChartPeriod.BarOpen("1m", now) + Minute - now > 5_000 ? now : now + 6_000;
        var bar = ChartPeriod.BarOpen("1m", time);
        var closesAt = DateTimeOffset.FromUnixTimeMilliseconds(bar + Minute) + Grace;
        await Infrastructure.Quotes.Push(_cluster, symbol, 100, 5, time);
        await Eventually.True(() => _cluster.Grains.GetGrain<IQuoteCentreGrain>(symbol).Exists(), "the quote reached the quote centre");

        await using var viewer = await OpenViewer("signed-small", symbol);
        await using var pager = await Connected.As(_cluster, _gateway, "signed-plain");
        Assert.False(viewer.Chart.Points[bar].Final, "the bar was final before its minute ended");
        Assert.Equal($"[{bar},100,100,100,100,5,0]", await NewestHistoryBar(pager, symbol));

        await Eventually.True(() => viewer.Chart.Points[bar].Final, "the bar was sent final", closesAt - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10));
        var seen = DateTimeOffset.UtcNow;
        Assert.True(seen >= closesAt, $"final at {seen:O}, before its minute and the grace ended ({closesAt:O})");
        Assert.Equal(0, viewer.Chart.Revisions);
        Assert.Equal($"[{bar},100,100,100,100,5,1]", await NewestHistoryBar(pager, symbol));
        await AssertExact(viewer, symbol);
    }

    /// <summary>The newest bar a <c>chart.history</c> page without <c>before</c> holds, as sent (protocol 1.12).</summary>
    private static async Task<string> NewestHistoryBar(Connected client, string symbol)
    {
        await client.Socket.SendJson(new { type = "chart.history", id = "h", data = new { symbol, period = "1m", count = 1 } });
        return (await client.Next("chart.history")).GetProperty("data").GetProperty("bars")[0].GetRawText();
    }

    [Fact]
    public async Task A_late_quote_into_a_final_bar_arrives_as_a_revision_and_the_viewer_ends_exact()
    {
        const string symbol = "LATE";
        // A minute long over: its bar is final from the first frame that carries it.
        var bar = ChartPeriod.BarOpen("1m", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) - 3 * Minute;
        await Infrastructure.Quotes.Push(_cluster, symbol, 100, 1, bar + 1_000);
        await Eventually.True(() => _cluster.Grains.GetGrain<IQuoteCentreGrain>(symbol).Exists(), "the quote reached the quote centre");
        await using var viewer = await OpenViewer("signed-plain", symbol);
        Assert.True(viewer.Chart.Points[bar].Final, "a bar of a minute long over was not final");

        await Infrastructure.Quotes.Push(_cluster, symbol, 101, 2, bar + 30_000);

        await Eventually.True(() => viewer.Chart.Points[bar].Bar[5] == 3, "the late quote reached the viewer");
        Assert.Equal(1, viewer.Chart.Revisions);
        Assert.Equal([bar, 100, 101, 100, 101, 3], viewer.Chart.Points[bar].Bar);
        Assert.True(viewer.Chart.Points[bar].Final);
        await AssertExact(viewer, symbol);
    }

    [Fact]
    public async Task A_backfill_rewriting_bars_a_viewer_holds_makes_it_reload_and_it_ends_exact()
    {
        const string symbol = "REFILL";
        await Infrastructure.Quotes.BackfillHistory(_cluster, symbol);
        await using var viewer = await OpenViewer("legacy-pre-3.1", symbol);
        var epoch = viewer.Chart.Epoch;

        // Bar 5 of the 30 the viewer holds, corrected by the data vendor.
        var corrected = Infrastructure.Quotes.T0 + 5 * Minute;
        await Infrastructure.Quotes.Backfill(_cluster, symbol, "1m", [[corrected, 90, 95, 85, 92, 44]]);

        await Eventually.True(() => viewer.Chart.Points[corrected].Bar[4] == 92, "the corrected bar reached the viewer");
        Assert.Equal(1, viewer.Chart.UnaskedSnapshots);
        Assert.NotEqual(epoch, viewer.Chart.Epoch);
        await AssertExact(viewer, symbol);
    }

    private async Task<ChartViewer> OpenViewer(string sessionName, string symbol)
    {
        var viewer = new ChartViewer(await DjangoSessions.Store(_cluster.Redis, sessionName), symbol, Indicators);
        await viewer.Open(Gateway);
        await Eventually.True(() => viewer.Chart.Snapshots == 1, "the snapshot arrived");
        return viewer;
    }

    /// <summary>No violation, and what the viewer holds (final flags included) equals a fresh static snapshot.</summary>
    private async Task AssertExact(ChartViewer viewer, string symbol)
    {
        Assert.Empty(viewer.Chart.Violations);
        await using var truthSocket = await Gateway(await DjangoSessions.Store(_cluster.Redis, "signed-compressed"));
        var truth = await ChartViewer.StaticSnapshot(truthSocket, symbol, Indicators);
        Assert.Empty(viewer.Chart.DifferencesFrom(truth));
    }
}
