using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Connections;
using Realtime.Quotes;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Quotes;

/// <summary>
/// History paging (<c>chart.history</c>, docs/protocol.md 1.12) over a real gateway and silo: a client scrolling left
/// pages back to the start of the history kept and is told there is no more; the history kept per period is the
/// silo's <c>Quotes</c> setting, in memory and in Redis.
/// </summary>
public sealed class HistoryPagingTests : IAsyncLifetime
{
    private const string Symbol = "PAGE";
    private const long Minute = 60_000;
    private const int Backfilled = 120;
    private const int Kept = 50;

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo(new Dictionary<string, string?>
        {
            ["Quotes:HistoryBars"] = Kept.ToString(),
            ["Quotes:HistoryBarsByPeriod:1h"] = "12",
        });
        _gateway = await _cluster.StartGateway();
        await Infrastructure.Quotes.Backfill(_cluster, Symbol, "1m", Infrastructure.Quotes.Rising(Backfilled));
        await Eventually.True(async () => (await Centre.GetBars("1m", Backfilled)).Length == Kept, "the backfill reached the quote centre");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private IQuoteCentreGrain Centre => _cluster.Grains.GetGrain<IQuoteCentreGrain>(Symbol);

    private static long Time(int minute) => Infrastructure.Quotes.T0 + minute * Minute;

    [Fact]
    public async Task Paging_left_from_the_newest_bars_reaches_the_start_of_history_and_is_told_there_is_no_more()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-plain");
        var seen = new List<long>();
        long? before = null;
        var pages = new List<(int Bars, bool More)>();
        while (true)
        {
            var page = await History(client, new { symbol = Symbol, period = "1m", before, count = 20 });
            var bars = page.GetProperty("bars").EnumerateArray().Select(b => b[0].GetInt64()).ToList();
            var more = page.GetProperty("more").GetBoolean();
            pages.Add((bars.Count, more));
            Assert.Equal(bars.Order(), bars);
            if (bars.Count > 0)
            {
                // The next page resumes right where this one started.
                long? expected = more ? bars[0] - Minute : null;
                long? nextTime = page.GetProperty("nextTime").ValueKind == JsonValueKind.Null ? null : page.GetProperty("nextTime").GetInt64();
                Assert.Equal(expected, nextTime);
                seen.InsertRange(0, bars);
                before = bars[0];
            }
            if (!more)
            {
                break;
            }
        }

        Assert.Equal([(20, true), (20, true), (10, false)], pages);
        Assert.Equal(Enumerable.Range(Backfilled - Kept, Kept).Select(Time), seen);
        // Scrolling further left: nothing, and still no more.
        var past = await History(client, new { symbol = Symbol, period = "1m", before = seen[0], count = 20 });
        Assert.Equal(0, past.GetProperty("bars").GetArrayLength());
        Assert.False(past.GetProperty("more").GetBoolean());
        Assert.Equal(JsonValueKind.Null, past.GetProperty("nextTime").ValueKind);
    }

    [Fact]
    public async Task A_page_carries_whole_bars_and_without_before_ends_with_the_live_bar()
    {
        await Infrastructure.Quotes.Push(_cluster, Symbol, 300, 7, Time(Backfilled) + 5_000);
        await Eventually.True(async () => (await Centre.GetLatest())?.Price == 300, "the quote applied");
        await using var client = await Connected.As(_cluster, _gateway, "signed-plain");

        var page = await History(client, new { symbol = Symbol, period = "1m", count = 3 });

        var bars = page.GetProperty("bars").EnumerateArray().Select(b => b.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        Assert.Equal([Time(Backfilled - 2), Time(Backfilled - 1), Time(Backfilled)], bars.Select(b => (long)b[0]));
        Assert.Equal([Time(Backfilled - 1), 100 + 119, 100.5 + 119, 99.5 + 119, 100 + 119, 10, 1], bars[1]);
        Assert.Equal([Time(Backfilled), 300, 300, 300, 300, 7, 1], bars[2]);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("before").ValueKind);
        Assert.Equal(Time(Backfilled - 3), page.GetProperty("nextTime").GetInt64());
    }

    [Fact]
    public async Task Each_period_keeps_the_history_its_setting_says_in_memory_and_in_Redis()
    {
        var keys = _cluster.Silos[0].Services.GetRequiredService<QuoteStoreKeys>();

        Assert.Equal(Kept, (await Centre.GetBars("1m", 1000)).Length);
        Assert.Equal(Kept, await _cluster.Redis.Database.HashLengthAsync(keys.Bars(Symbol, "1m")));
        // 120 minutes make two hours; the 1h override (12) is not reached, and the 5m series keeps its 24 bars.
        Assert.Equal(2, (await Centre.GetBars("1h", 1000)).Length);
        Assert.Equal(24, (await Centre.GetBars("5m", 1000)).Length);

        // A new bar beyond the kept history drops the oldest, in Redis too.
        await Infrastructure.Quotes.Push(_cluster, Symbol, 300, 7, Time(Backfilled) + 5_000);
        await Eventually.True(async () => (await Centre.GetBars("1m", 1)).Single().Time == Time(Backfilled), "the new bar");
        Assert.Equal(Kept, await _cluster.Redis.Database.HashLengthAsync(keys.Bars(Symbol, "1m")));
        Assert.Equal(Time(Backfilled - Kept + 1), (await Centre.GetBars("1m", 1000))[0].Time);
    }

    [Fact]
    public async Task A_silo_keeping_less_history_trims_what_a_larger_setting_left_in_Redis()
    {
        var keys = _cluster.Silos[0].Services.GetRequiredService<QuoteStoreKeys>();
        var old = _cluster.Silos[0];
        await _cluster.StartSilo(new Dictionary<string, string?> { ["Quotes:HistoryBars"] = "20" });
        await _cluster.StopSilo(old);

        await Eventually.True(async () => (await Centre.GetBars("1m", 1000)).Length == 20, "the quote centre re-activated with the smaller setting");

        Assert.Equal(Enumerable.Range(Backfilled - 20, 20).Select(Time), (await Centre.GetBars("1m", 1000)).Select(b => b.Time));
        Assert.Equal(20, await _cluster.Redis.Database.HashLengthAsync(keys.Bars(Symbol, "1m")));
    }

    [Theory]
    [InlineData("""{"period":"1m"}""", ErrorCodes.InvalidData)]
    [InlineData("""{"symbol":"PAGE!","period":"1m"}""", ErrorCodes.InvalidData)]
    [InlineData("""{"symbol":"PAGE","period":"2m"}""", ErrorCodes.InvalidData)]
    [InlineData("""{"symbol":"PAGE","period":"1m","before":0}""", ErrorCodes.InvalidData)]
    [InlineData("""{"symbol":"PAGE","period":"1m","before":"yesterday"}""", ErrorCodes.InvalidData)]
    [InlineData("""{"symbol":"PAGE","period":"1m","count":0}""", ErrorCodes.InvalidData)]
    [InlineData("""{"symbol":"PAGE","period":"1m","count":1001}""", ErrorCodes.InvalidData)]
    [InlineData("""{"symbol":"PAGE","period":"1m","from":1}""", ErrorCodes.InvalidData)]
    [InlineData("""null""", ErrorCodes.InvalidData)]
    [InlineData("""{"symbol":"NOSUCH","period":"1m"}""", ErrorCodes.NotFound)]
    public async Task A_bad_request_is_answered_with_its_error(string data, string code)
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-plain");

        await client.Socket.SendText($$"""{"type":"chart.history","id":"h1","data":{{data}}}""");
        var error = await client.Next("error");

        Assert.Equal(code, error.GetProperty("data").GetProperty("code").GetString());
        Assert.Equal("\"h1\"", error.GetProperty("id").GetRawText());
    }

    [Theory]
    [InlineData("""{"symbol":"PAGE","period":"1m","before":"1796656147031"}""", "'before' must be a whole JSON number")]
    [InlineData("""{"symbol":"PAGE","period":"1m","count":"5"}""", "'count' must be a whole JSON number")]
    [InlineData("""{"symbol":"PAGE","period":"1m","count":5.5}""", "'count' must be a whole JSON number")]
    [InlineData("""{"symbol":"PAGE","period":1}""", "'period' must be a string")]
    [InlineData("""{"symbol":"PAGE","period":"1m","from":1}""", "'from' is not a field here")]
    public async Task A_number_in_a_string_or_a_wrong_field_is_refused_naming_the_field_and_no_dotnet_type(string data, string expected)
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-plain");

        await client.Socket.SendText($$"""{"type":"chart.history","id":"h2","data":{{data}}}""");
        var error = (await client.Next("error")).GetProperty("data");

        Assert.Equal(ErrorCodes.InvalidData, error.GetProperty("code").GetString());
        var message = error.GetProperty("message").GetString()!;
        Assert.Contains(expected, message);
        Assert.DoesNotContain("Realtime.", message);
        Assert.DoesNotContain("System.", message);
        Assert.DoesNotContain(".NET", message);
    }

    private static async Task<JsonElement> History(Connected client, object data)
    {
        await client.Socket.SendJson(new { type = "chart.history", id = "h", data });
        var reply = await client.Next("chart.history");
        Assert.Equal("h", reply.GetProperty("id").GetString());
        return reply.GetProperty("data");
    }
}
