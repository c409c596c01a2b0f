using Realtime.Quotes;
using Realtime.Tests.Infrastructure;
using Realtime.Watchlist;

namespace Realtime.Tests.Quotes;

/// <summary>
/// A symbol's quote centre, its charts and its watchlist line are placed on one silo (<see cref="SymbolPlacement"/>),
/// so the ticks the centre pushes never cross the network; different symbols spread over the silos.
/// </summary>
public sealed class SymbolPlacementTests : IAsyncLifetime
{
    private static readonly string[] Symbols = ["PA", "PB", "PC", "PD", "PE", "PF", "PG", "PH", "PI", "PJ"];
    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        await _cluster.StartSilo();
        await _cluster.StartSilo();
        await _cluster.StartGateway();
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_symbols_centre_charts_and_watchlist_line_share_a_silo_and_symbols_spread_over_silos()
    {
        var management = _cluster.Grains.GetGrain<IManagementGrain>(0);
        await Eventually.True(async () => (await management.GetHosts(onlyActive: true)).Count == 3, "all three silos are active members");
        foreach (var symbol in Symbols)
        {
            await Infrastructure.Quotes.BackfillHistory(_cluster, symbol);
            await _cluster.Grains.GetGrain<IChartGrain>($"{symbol}|1m|SMA(close,5)").GetStats();
            await _cluster.Grains.GetGrain<IChartGrain>($"{symbol}|5m|MACD(close,12,26,9)").GetStats();
            await _cluster.Grains.GetGrain<ITickerGrain>(symbol).GetLine();
        }

        var silos = (await management.GetDetailedGrainStatistics())
            .Where(g => Symbols.Contains(SymbolPlacementDirector.SymbolOf(g.GrainId)))
            .GroupBy(g => SymbolPlacementDirector.SymbolOf(g.GrainId))
            .ToDictionary(g => g.Key, g => g.Select(s => s.SiloAddress).Distinct().ToArray());

        Assert.Equal(Symbols.Order(), silos.Keys.Order());
        Assert.All(silos, s => Assert.Single(s.Value));
        Assert.True(silos.Values.Select(s => s[0]).Distinct().Count() > 1, "ten symbols all landed on one of three silos");
    }

    [Theory]
    [InlineData("AAPL", "AAPL")]
    [InlineData("AAPL|1m|SMA(close,5)", "AAPL")]
    [InlineData("BRK.B|1h|", "BRK.B")]
    public void The_symbol_is_the_key_up_to_its_first_bar(string key, string symbol) =>
        Assert.Equal(symbol, SymbolPlacementDirector.SymbolOf(GrainId.Create("chart", key)));

    [Fact]
    public void The_hash_is_the_same_in_every_process() =>
        // FNV-1a of "AAPL": a fixed number, unlike string.GetHashCode, which is randomised per process.
        Assert.Equal(0x58CD330Bu, SymbolPlacementDirector.StableHash("AAPL"));
}
