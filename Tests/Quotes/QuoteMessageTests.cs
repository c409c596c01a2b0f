using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Quotes;

/// <summary>Malformed quote and bar messages are dead-lettered with a reason that names the problem.</summary>
public sealed class QuoteMessageTests : IAsyncLifetime
{
    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);

    public async Task InitializeAsync() => await _cluster.StartSilo();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    public static TheoryData<string, string> Malformed() => new()
    {
        { """{"type":"quote","data":"AAPL 100"}""", "quote: 'data' must be" },
        { """{"type":"quote","data":[]}""", "quote: no quotes" },
        { """{"type":"quote","data":{"symbol":"A A","price":1,"volume":1,"time":1}}""", "quote[0]: 'symbol'" },
        { """{"type":"quote","data":[{"symbol":"OK","price":1,"volume":1,"time":1},{"symbol":"OK","price":-1,"volume":1,"time":2}]}""", "quote[1]: 'price'" },
        { """{"type":"quote","data":{"symbol":"OK","price":1,"volume":-5,"time":1}}""", "quote[0]: 'volume'" },
        { """{"type":"quote","data":{"symbol":"OK","price":1,"volume":1}}""", "quote[0]: 'time'" },
        { """{"type":"quote","data":{"symbol":"OK","price":1,"volume":1,"time":1,"bid":0}}""", "quote[0]: 'bid'" },
        { """{"type":"quote","data":[1,2]}""", "quote[0]: not a quote object" },
        { """{"type":"quote","data":{"symbol":"OK","price":"1.5","volume":1,"time":1}}""", "quote[0]: 'price' must be a JSON number" },
        { """{"type":"quote","data":{"symbol":"OK","price":1,"volume":1,"time":"1767225600000"}}""", "quote[0]: 'time' must be a whole JSON number" },
        { """{"type":"quote","data":{"symbol":7,"price":1,"volume":1,"time":1}}""", "quote[0]: 'symbol' must be a string" },
        { """{"type":"bars","data":{"symbol":"OK","period":"7m","bars":[[0,1,1,1,1,1]]}}""", "bars: 'period'" },
        { """{"type":"bars","data":{"symbol":"OK","period":"1m","bars":[]}}""", "bars: 'bars' must be" },
        { """{"type":"bars","data":{"symbol":"OK","period":"1m","bars":[[1767225600000,1,1,1]]}}""", "bars[0]: must be" },
        { """{"type":"bars","data":{"symbol":"OK","period":"1m","bars":[[1767225600001,1,1,1,1,1]]}}""", "bars[0]: time" },
        { """{"type":"bars","data":{"symbol":"OK","period":"1m","bars":[[1767225600000,1,0.5,1,1,1]]}}""", "bars[0]: low <= open" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_quote_or_bars_message_is_dead_lettered_with_its_reason(string raw, string reason)
    {
        await _cluster.Redis.Database.ListLeftPushAsync(_cluster.Queue, raw);

        var letter = await DeadLetters.WaitFor(_cluster, raw);
        Assert.StartsWith(reason, letter.GetProperty("reason").GetString());
        Assert.DoesNotContain("System.", letter.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_quote_may_carry_fields_the_server_does_not_read()
    {
        // Producers' extra fields (an exchange, a venue id) are ignored, as they always were; only known ones are checked.
        await _cluster.Redis.Database.ListLeftPushAsync(_cluster.Queue, """{"type":"quote","data":{"symbol":"EXTRA","price":1,"volume":1,"time":1767225600000,"exchange":"XNAS"}}""");

        await Eventually.True(async () => (await _cluster.Grains.GetGrain<Realtime.Quotes.IQuoteCentreGrain>("EXTRA").GetLatest())?.Price == 1, "the quote with an extra field was applied");
    }
}
