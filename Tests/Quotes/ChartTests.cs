using System.Text.Json;
using Realtime.Charts;
using Realtime.Connections;
using Realtime.Quotes;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Quotes;

/// <summary>Charts end to end: quotes in through the service queue, chart frames out through real WebSockets.</summary>
public sealed class ChartTests : IAsyncLifetime
{
    private const string Key = "ACME|1m|SMA(close,5)";

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
        await Infrastructure.Quotes.BackfillHistory(_cluster, "ACME");
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private static object Open(string chartId, string mode = "dynamic", object? resume = null, string symbol = "ACME") =>
        new { type = "mychart", id = chartId, data = new { action = "open", chartId, symbol, period = "1m", mode, indicators = new[] { "MA(5)" }, count = 10, resume } };

    [Fact]
    public async Task A_dynamic_chart_gets_history_then_updates_that_match_quotes_pushed_with_redis_cli()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");
        await client.Socket.SendJson(Open("c1"));

        var snapshot = (await client.Next("chart.snapshot")).GetProperty("data");
        Assert.Equal("c1", snapshot.GetProperty("chartId").GetString());
        Assert.Equal(Key, snapshot.GetProperty("chart").GetString());
        Assert.Equal(10, snapshot.GetProperty("bars").GetArrayLength());
        Assert.Equal(129, snapshot.GetProperty("bars")[9][4].GetDouble());
        Assert.Equal(127, snapshot.GetProperty("indicators")[0].GetProperty("values")[9][0].GetDouble(), 9);

        var next = Infrastructure.Quotes.T0 + 30 * 60_000L + 1_500;
        await RedisCli.Run(_cluster.Redis, "LPUSH", _cluster.Queue, $$$"""{"type":"quote","src":"cli","data":{"symbol":"ACME","price":131.5,"volume":7,"time":{{{next}}}}}""");

        var update = (await client.Next("chart.update")).GetProperty("data");
        Assert.Equal(Key, update.GetProperty("chart").GetString());
        Assert.Equal(snapshot.GetProperty("epoch").GetString(), update.GetProperty("epoch").GetString());
        Assert.Equal(snapshot.GetProperty("seq").GetInt64() + 1, update.GetProperty("seq").GetInt64());
        Assert.Equal(update.GetProperty("seq").GetInt64() - 1, update.GetProperty("prev").GetInt64());
        Assert.Equal(1, update.GetProperty("bars").GetArrayLength());
        var bar = update.GetProperty("bars")[0];
        // A minute long over: its bar is final from the first frame (protocol 1.9), and being new, not a revision.
        Assert.Equal([Infrastructure.Quotes.T0 + 30 * 60_000L, 131.5, 131.5, 131.5, 131.5, 7, 1], bar.EnumerateArray().Select(v => v.GetDouble()));
        Assert.False(update.TryGetProperty("revision", out _));
        Assert.Equal((126 + 127 + 128 + 129 + 131.5) / 5, update.GetProperty("indicators")[0][0][0].GetDouble(), 9);
    }

    [Fact]
    public async Task Two_clients_on_the_same_chart_cost_one_computation()
    {
        await using var first = await Connected.As(_cluster, _gateway, "signed-small");
        await using var second = await Connected.As(_cluster, _gateway, "signed-plain");
        await first.Socket.SendJson(Open("a"));
        await second.Socket.SendJson(Open("b"));
        await first.Next("chart.snapshot");
        await second.Next("chart.snapshot");
        var chart = _cluster.Grains.GetGrain<IChartGrain>(Key);
        var before = await chart.GetStats();

        for (var i = 0; i < 5; i++)
        {
            await Infrastructure.Quotes.Push(_cluster, "ACME", 140 + i, 1, Infrastructure.Quotes.T0 + 31 * 60_000L + i);
        }
        await UntilClose(first, 144);
        await UntilClose(second, 144);

        // However the pump batched the five quotes, each tick was computed once, not once per viewer.
        var after = await chart.GetStats();
        Assert.InRange(after.Seq - before.Seq, 1, 5);
        Assert.Equal(after.Seq - before.Seq, after.UpdatesComputed - before.UpdatesComputed);
        Assert.Equal(2, after.Viewers);
        Assert.Equal(1, after.Gateways);
    }

    [Fact]
    public async Task A_client_that_reconnects_with_its_sequence_number_gets_exactly_the_missed_updates()
    {
        string epoch;
        long seq;
        await using (var client = await Connected.As(_cluster, _gateway, "signed-compressed"))
        {
            await client.Socket.SendJson(Open("r"));
            var snapshot = (await client.Next("chart.snapshot")).GetProperty("data");
            epoch = snapshot.GetProperty("epoch").GetString()!;
            seq = snapshot.GetProperty("seq").GetInt64();
        }
        var chart = _cluster.Grains.GetGrain<IChartGrain>(Key);
        for (var i = 1; i <= 3; i++)
        {
            await Infrastructure.Quotes.Push(_cluster, "ACME", 150 + i, 1, Infrastructure.Quotes.T0 + 32 * 60_000L + i);
            var expected = seq + i;
            await Eventually.True(async () => (await chart.GetStats()).Seq == expected, $"update {expected} is computed");
        }

        await using var again = await Connected.As(_cluster, _gateway, "signed-compressed");
        await again.Socket.SendJson(Open("r", resume: new { epoch, seq }));

        var resumed = await again.Next("chart.resumed");
        Assert.Equal("r", resumed.GetProperty("id").GetString());
        var seqs = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            seqs.Add((await again.Next("chart.update")).GetProperty("data").GetProperty("seq").GetInt64());
        }
        Assert.Equal([seq + 1, seq + 2, seq + 3], seqs);
        await again.Socket.SendJson(new { type = "ping", id = "fence" });
        await again.Next("pong");
        Assert.Equal((await chart.GetStats()).Seq, seqs[^1]);
    }

    [Fact]
    public async Task Resuming_from_another_epoch_gets_a_fresh_snapshot()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");

        await client.Socket.SendJson(Open("old", resume: new { epoch = "not-this-one", seq = 3 }));

        Assert.Equal("old", (await client.Next("chart.snapshot")).GetProperty("data").GetProperty("chartId").GetString());
    }

    [Fact]
    public async Task A_static_chart_is_answered_once_and_gets_no_updates()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");
        await client.Socket.SendJson(Open("s", mode: "static"));
        Assert.Equal("static", (await client.Next("chart.snapshot")).GetProperty("data").GetProperty("mode").GetString());

        await Infrastructure.Quotes.Push(_cluster, "ACME", 160, 1, Infrastructure.Quotes.T0 + 33 * 60_000L);
        await client.Socket.SendJson(Open("d"));
        await client.Next("chart.snapshot");
        await Infrastructure.Quotes.Push(_cluster, "ACME", 161, 1, Infrastructure.Quotes.T0 + 33 * 60_000L + 1);

        var update = await client.Next("chart.update");
        Assert.Equal(Key, update.GetProperty("data").GetProperty("chart").GetString());
    }

    [Fact]
    public async Task Closing_a_chart_answers_chart_closed_and_releases_the_viewer()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-with-fallback-key");
        await client.Socket.SendJson(Open("x"));
        await client.Next("chart.snapshot");
        var chart = _cluster.Grains.GetGrain<IChartGrain>(Key);
        var viewers = (await chart.GetStats()).Viewers;

        await client.Socket.SendJson(new { type = "mychart", id = 9, data = new { action = "close", chartId = "x" } });

        Assert.Equal("x", (await client.Next("chart.closed")).GetProperty("data").GetProperty("chartId").GetString());
        Assert.Equal(viewers - 1, (await chart.GetStats()).Viewers);
    }

    [Fact]
    public async Task Changing_indicators_sends_a_snapshot_of_the_new_chart()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");
        await client.Socket.SendJson(Open("ch"));
        await client.Next("chart.snapshot");

        await client.Socket.SendJson(new { type = "mychart", data = new { action = "change", chartId = "ch", indicators = new[] { "EMA(3)", "BOLL" } } });

        var snapshot = (await client.Next("chart.snapshot")).GetProperty("data");
        Assert.Equal("ACME|1m|EMA(close,3);BBANDS(close,20,2)", snapshot.GetProperty("chart").GetString());
        Assert.Equal(["upper", "middle", "lower"], snapshot.GetProperty("indicators")[1].GetProperty("outputs").EnumerateArray().Select(o => o.GetString()));
    }

    [Fact]
    public async Task A_repeated_quote_changes_nothing()
    {
        var time = Infrastructure.Quotes.T0 + 40 * 60_000L;
        await Infrastructure.Quotes.Push(_cluster, "ACME", 170, 5, time);
        await Infrastructure.Quotes.Push(_cluster, "ACME", 170, 5, time);
        await Infrastructure.Quotes.Push(_cluster, "ACME", 171, 2, time + 10);
        var centre = _cluster.Grains.GetGrain<IQuoteCentreGrain>("ACME");

        await Eventually.True(async () => (await centre.GetLatest())?.Price == 171, "the last quote applied");

        var bar = (await centre.GetBars("1m", 1)).Single();
        Assert.Equal(new Bar(time, 170, 171, 170, 171, 7), bar);
    }

    public static TheoryData<string, string> BadRequests() => new()
    {
        { """{"action":"open","chartId":"b","symbol":"NOPE","period":"1m"}""", ErrorCodes.NotFound },
        { """{"action":"open","chartId":"b","symbol":"bad symbol!","period":"1m"}""", ErrorCodes.InvalidData },
        { """{"action":"open","chartId":"b","symbol":"ACME","period":"2m"}""", ErrorCodes.InvalidData },
        { """{"action":"open","chartId":"b","symbol":"ACME","period":"1m","indicators":["FOO(3)"]}""", ErrorCodes.InvalidData },
        { """{"action":"open","chartId":"b","symbol":"ACME","period":"1m","indicators":["MA(0)"]}""", ErrorCodes.InvalidData },
        { """{"action":"open","chartId":"b","symbol":"ACME","period":"1m","indicators":["MA(x)"]}""", ErrorCodes.InvalidData },
        { """{"action":"open","chartId":"b","symbol":"ACME","period":"1m","mode":"sometimes"}""", ErrorCodes.InvalidData },
        { """{"action":"open","chartId":"b","symbol":"ACME","period":"1m","count":0}""", ErrorCodes.InvalidData },
        { """{"action":"open","chartId":"b","symbol":"ACME","period":"1m","count":100000}""", ErrorCodes.InvalidData },
        { """{"action":"open","chartId":"b","symbol":"ACME","period":"1m","resume":{"epoch":"","seq":-1}}""", ErrorCodes.InvalidData },
        { """{"action":"open","symbol":"ACME","period":"1m"}""", ErrorCodes.InvalidData },
        { """{"action":"open","chartId":"b","symbol":"ACME","period":"1m","colour":"red"}""", ErrorCodes.InvalidData },
        { """{"action":"zoom","chartId":"b"}""", ErrorCodes.InvalidData },
        { """{"action":"close","chartId":"never-opened"}""", ErrorCodes.NotFound },
        { """{"action":"change","chartId":"never-opened","period":"5m"}""", ErrorCodes.NotFound },
        { "42", ErrorCodes.InvalidData },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task A_bad_chart_request_gets_its_error(string data, string code)
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-plain");

        await client.Socket.SendText($$"""{"type":"mychart","id":"bad","data":{{data}}}""");

        var error = await client.Next("error");
        Assert.Equal(code, error.GetProperty("data").GetProperty("code").GetString());
        Assert.Equal("bad", error.GetProperty("id").GetString());
    }

    [Fact]
    public async Task More_than_twenty_open_dynamic_charts_get_limit_exceeded_but_a_static_one_is_still_answered()
    {
        await using var client = await Connected.As(_cluster, _gateway, "legacy-pre-3.1");
        for (var i = 0; i < ChartAgent.MaxOpenCharts; i++)
        {
            await client.Socket.SendJson(Open($"many-{i}"));
            await client.Next("chart.snapshot");
        }

        await client.Socket.SendJson(Open("one-too-many"));
        Assert.Equal(ErrorCodes.LimitExceeded, (await client.Next("error")).GetProperty("data").GetProperty("code").GetString());

        await client.Socket.SendJson(Open("look-once", mode: "static"));
        Assert.Equal("look-once", (await client.Next("chart.snapshot")).GetProperty("data").GetProperty("chartId").GetString());
    }

    [Fact]
    public async Task Static_charts_are_answered_once_and_hold_no_slot()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-small");
        for (var i = 0; i < ChartAgent.MaxOpenCharts + 5; i++)
        {
            await client.Socket.SendJson(Open($"static-{i}", mode: "static"));
            Assert.Equal($"static-{i}", (await client.Next("chart.snapshot")).GetProperty("data").GetProperty("chartId").GetString());
        }
        // Its chartId is free again at once, and nothing is open to close or change.
        await client.Socket.SendJson(Open("static-0", mode: "static"));
        Assert.Equal("static-0", (await client.Next("chart.snapshot")).GetProperty("data").GetProperty("chartId").GetString());
        await client.Socket.SendJson(new { type = "mychart", id = "x", data = new { action = "close", chartId = "static-1" } });
        Assert.Equal(ErrorCodes.NotFound, (await client.Next("error")).GetProperty("data").GetProperty("code").GetString());

        // Every dynamic chart of the user still has its slot, on this connection and on another.
        await using var other = await Connected.As(_cluster, _gateway, "signed-small");
        for (var i = 0; i < ChartAgent.MaxOpenCharts; i++)
        {
            await (i % 2 == 0 ? client : other).Socket.SendJson(Open($"live-{i}"));
            await (i % 2 == 0 ? client : other).Next("chart.snapshot");
        }
        await client.Socket.SendJson(Open("live-one-too-many"));
        Assert.Equal(ErrorCodes.LimitExceeded, (await client.Next("error")).GetProperty("data").GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_symbols_request_lists_symbols_with_quotes()
    {
        await using var client = await Connected.As(_cluster, _gateway, "signed-plain");

        await client.Socket.SendJson(new { type = "symbols" });

        Assert.Contains("ACME", (await client.Next("symbols")).GetProperty("data").GetProperty("symbols").EnumerateArray().Select(s => s.GetString()));
    }

    /// <summary>Reads updates until the current bar closes at <paramref name="price"/>.</summary>
    private static async Task UntilClose(Connected client, double price)
    {
        while ((await client.Next("chart.update")).GetProperty("data").GetProperty("bars").EnumerateArray().Last()[4].GetDouble() != price)
        {
        }
    }
}
