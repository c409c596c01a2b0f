using Microsoft.Extensions.DependencyInjection;
using Realtime.Quotes;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Quotes;

/// <summary>
/// History backfills against live quotes through the real queue and quote centre: a backfill delivered again (the
/// queue delivers at least once) must not take back volume that quotes have added since, while it may still correct
/// history from before the first quote and fill bars that are missing.
/// </summary>
public sealed class BackfillTests : IAsyncLifetime
{
    private const string Symbol = "BFX";
    private const long Minute = 60_000;
    private static readonly long LastBar = Infrastructure.Quotes.T0 + 29 * Minute;

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);

    private IQuoteCentreGrain Centre => _cluster.Grains.GetGrain<IQuoteCentreGrain>(Symbol);

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        await Infrastructure.Quotes.Backfill(_cluster, Symbol, "1m", Infrastructure.Quotes.Rising(30));
        await Eventually.True(() => Centre.Exists(), "the backfill reached the quote centre");
        // Quotes then grow the newest backfilled bar from volume 10 to 17.
        await Infrastructure.Quotes.Push(_cluster, Symbol, 200, 5, LastBar + 10_000);
        await Infrastructure.Quotes.Push(_cluster, Symbol, 201, 2, LastBar + 20_000);
        await AppliedUpTo(201);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_backfill_delivered_again_keeps_the_volume_quotes_added_since()
    {
        await Infrastructure.Quotes.Backfill(_cluster, Symbol, "1m", Infrastructure.Quotes.Rising(30));
        await Infrastructure.Quotes.Push(_cluster, Symbol, 202, 1, LastBar + 30_000);
        await AppliedUpTo(202);

        var minute = (await Centre.GetBars("1m", 1)).Single();
        Assert.Equal(new Bar(LastBar, 129, 202, 99.5 + 29, 202, 18), minute);
        var hour = (await Centre.GetBars("1h", 1)).Single();
        Assert.Equal(29 * 10 + 18, hour.Volume);
    }

    [Fact]
    public async Task The_first_quote_time_is_kept_so_a_reactivated_centre_still_protects_live_bars()
    {
        var keys = _cluster.Silos[0].Services.GetRequiredService<QuoteStoreKeys>();
        Assert.Equal(LastBar + 10_000, (long)await _cluster.Redis.Database.StringGetAsync(keys.LiveSince(Symbol)));

        await _cluster.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await Infrastructure.Quotes.Backfill(_cluster, Symbol, "1m", Infrastructure.Quotes.Rising(30));
        await Infrastructure.Quotes.Push(_cluster, Symbol, 202, 1, LastBar + 30_000);
        await AppliedUpTo(202);

        Assert.Equal(18, (await Centre.GetBars("1m", 1)).Single().Volume);
    }

    [Fact]
    public async Task A_backfill_corrects_history_before_the_first_quote_and_the_longer_bars_follow()
    {
        var corrected = new double[] { Infrastructure.Quotes.T0 + 5 * Minute, 105, 105.5, 104.5, 105, 3 };
        await Infrastructure.Quotes.Backfill(_cluster, Symbol, "1m", [corrected]);

        await Eventually.True(async () => (await Centre.GetBars("1m", 30))[5].Volume == 3, "the corrected bar");
        // The hour is summed from the minutes: history (with the correction) and the live quotes together.
        Assert.Equal(28 * 10 + 3 + 17, (await Centre.GetBars("1h", 1)).Single().Volume);
    }

    [Fact]
    public async Task A_backfill_fills_a_missing_bar_after_the_first_quote()
    {
        var gap = new double[] { LastBar + Minute, 201, 203, 200, 202.5, 40 };
        await Infrastructure.Quotes.Push(_cluster, Symbol, 204, 1, LastBar + 2 * Minute);
        await AppliedUpTo(204);

        await Infrastructure.Quotes.Backfill(_cluster, Symbol, "1m", [gap]);

        await Eventually.True(async () => (await Centre.GetBars("1m", 3)).Any(b => b.Time == LastBar + Minute), "the missing minute filled");
        var bars = await Centre.GetBars("1m", 3);
        Assert.Equal([17, 40, 1], bars.Select(b => b.Volume));
    }

    private Task AppliedUpTo(double price) =>
        Eventually.True(async () => (await Centre.GetLatest())?.Price == price, $"the quote at {price} applied");
}
