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
    }
}
