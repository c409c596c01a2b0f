using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Gateway;

/// <summary>
/// The UDF endpoints (docs/protocol.md 3) over real HTTP against a real gateway and silo: what TradingView's UDF
/// adapter and curl are answered, how they page history to its start, and that each bad parameter, a bad session
/// and a foreign page are refused as <c>/ws</c> refuses them.
/// </summary>
public sealed class UdfEndpointTests : IAsyncLifetime
{
    private const string Symbol = "UDFX";
    private const long Minute = 60_000;
    private const int Bars = 120;
    private const string AllowedOrigin = "https://www.example.com";
    private static readonly long T0Seconds = Infrastructure.Quotes.T0 / 1000;

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private readonly HttpClient _http = new(new HttpClientHandler { UseCookies = false });
    private WebApplication _gateway = null!;
    private string _session = "";

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway(new Dictionary<string, string?> { ["Gateway:AllowedOrigins:0"] = AllowedOrigin });
        _session = await DjangoSessions.Store(_cluster.Redis, "signed-small");
        await Infrastructure.Quotes.Backfill(_cluster, Symbol, "1m", Infrastructure.Quotes.Rising(Bars));
        await Infrastructure.Quotes.Backfill(_cluster, "AUDFY", "1m", Infrastructure.Quotes.Rising(3));
        await Infrastructure.Quotes.Backfill(_cluster, "ZZZ", "1m", Infrastructure.Quotes.Rising(3));
        await Eventually.True(async () => (await _cluster.Grains.GetGrain<Realtime.Quotes.IQuoteCentreGrain>(Symbol).GetBars("1m", 1000)).Length == Bars
            && await _cluster.Grains.GetGrain<Realtime.Quotes.IQuoteCentreGrain>("ZZZ").Exists(), "the backfills reached the quote centres");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cluster.DisposeAsync();
    }

    private static long Seconds(int minute) => T0Seconds + minute * 60;

    [Fact]
    public async Task Config_lists_the_resolutions_and_search()
    {
        var (status, config) = await Get("/udf/config");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["1", "5", "15", "30", "60", "240", "1D"], config.GetProperty("supported_resolutions").EnumerateArray().Select(r => r.GetString()));
        Assert.True(config.GetProperty("supports_search").GetBoolean());
        Assert.False(config.GetProperty("supports_group_request").GetBoolean());
        Assert.True(config.GetProperty("supports_time").GetBoolean());
    }

    [Fact]
    public async Task Time_is_the_servers_in_unix_seconds()
    {
        using var response = await Send("/udf/time");
        var seconds = long.Parse(await response.Content.ReadAsStringAsync());

        Assert.InRange(seconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);
    }

    [Fact]
    public async Task Symbols_resolves_a_known_symbol_and_refuses_an_unknown_one()
    {
        var (status, info) = await Get($"/udf/symbols?symbol={Symbol}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Symbol, info.GetProperty("name").GetString());
        Assert.Equal(Symbol, info.GetProperty("ticker").GetString());
        Assert.Equal("24x7", info.GetProperty("session").GetString());
        Assert.Equal("Etc/UTC", info.GetProperty("timezone").GetString());
        Assert.True(info.GetProperty("has_intraday").GetBoolean());
        Assert.Equal(100, info.GetProperty("pricescale").GetInt32());

        var (unknownStatus, unknown) = await Get("/udf/symbols?symbol=NOSUCH");
        Assert.Equal(HttpStatusCode.NotFound, unknownStatus);
        Assert.Equal("error", unknown.GetProperty("s").GetString());
        Assert.Contains("NOSUCH", unknown.GetProperty("errmsg").GetString());
    }

    [Fact]
    public async Task Search_finds_symbols_starting_with_the_query_first_then_containing_it()
    {
        var (status, found) = await Get("/udf/search?query=udf&type=&exchange=&limit=30");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([Symbol, "AUDFY"], found.EnumerateArray().Select(s => s.GetProperty("symbol").GetString()));
        Assert.Equal(Symbol, found[0].GetProperty("ticker").GetString());

        var (_, limited) = await Get("/udf/search?query=&limit=2");
        Assert.Equal(["AUDFY", Symbol], limited.EnumerateArray().Select(s => s.GetProperty("symbol").GetString()));
    }

    [Fact]
    public async Task History_answers_a_range_from_inclusive_to_exclusive_in_columns_of_unix_seconds()
    {
        var (status, history) = await Get($"/udf/history?symbol={Symbol}&resolution=1&from={Seconds(10)}&to={Seconds(13)}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", history.GetProperty("s").GetString());
        Assert.Equal([Seconds(10), Seconds(11), Seconds(12)], Column<long>(history, "t"));
        Assert.Equal([110, 111, 112], Column<double>(history, "c"));
        Assert.Equal([110, 111, 112], Column<double>(history, "o"));
        Assert.Equal([110.5, 111.5, 112.5], Column<double>(history, "h"));
        Assert.Equal([109.5, 110.5, 111.5], Column<double>(history, "l"));
        Assert.Equal([10, 10, 10], Column<double>(history, "v"));
    }

    [Fact]
    public async Task Countback_outranks_from_and_longer_resolutions_are_summed()
    {
        var (_, minutes) = await Get($"/udf/history?symbol={Symbol}&resolution=1&from={Seconds(100)}&to={Seconds(50)}&countback=4");
        Assert.Equal([Seconds(46), Seconds(47), Seconds(48), Seconds(49)], Column<long>(minutes, "t"));

        var (_, hours) = await Get($"/udf/history?symbol={Symbol}&resolution=60&from=0&to={Seconds(1000)}");
        Assert.Equal([Seconds(0), Seconds(60)], Column<long>(hours, "t"));
        Assert.Equal([600, 600], Column<double>(hours, "v"));
    }

    [Fact]
    public async Task Paging_left_with_countback_reaches_no_data_and_a_gap_points_at_older_bars_with_nextTime()
    {
        var times = new List<long>();
        var to = Seconds(Bars) + 3600; // the chart's first request: up to now
        while (true)
        {
            var (status, page) = await Get($"/udf/history?symbol={Symbol}&resolution=1&from={to - 3000}&to={to}&countback=50");
            Assert.Equal(HttpStatusCode.OK, status);
            if (page.GetProperty("s").GetString() == "no_data")
            {
                Assert.False(page.TryGetProperty("nextTime", out _), "no older bars: no nextTime");
                break;
            }
            var t = Column<long>(page, "t");
            times.InsertRange(0, t);
            to = t[0];
        }
        Assert.Equal(Enumerable.Range(0, Bars).Select(Seconds), times);

        // A range after the newest bar is empty, but older bars exist: nextTime names the newest of them.
        var (_, gap) = await Get($"/udf/history?symbol={Symbol}&resolution=1&from={Seconds(Bars + 10)}&to={Seconds(Bars + 20)}");
        Assert.Equal("no_data", gap.GetProperty("s").GetString());
        Assert.Equal(Seconds(Bars - 1), gap.GetProperty("nextTime").GetInt64());
    }

    [Theory]
    [InlineData("/udf/history?resolution=1&from=0&to=100", "symbol")]
    [InlineData("/udf/history?symbol=UD%20FX&resolution=1&from=0&to=100", "symbol")]
    [InlineData("/udf/history?symbol=UDFX&symbol=ZZZ&resolution=1&from=0&to=100", "symbol")]
    [InlineData("/udf/history?symbol=UDFX&from=0&to=100", "resolution")]
    [InlineData("/udf/history?symbol=UDFX&resolution=2&from=0&to=100", "resolution")]
    [InlineData("/udf/history?symbol=UDFX&resolution=1W&from=0&to=100", "resolution")]
    [InlineData("/udf/history?symbol=UDFX&resolution=1&to=100", "from")]
    [InlineData("/udf/history?symbol=UDFX&resolution=1&from=yesterday&to=100", "from")]
    [InlineData("/udf/history?symbol=UDFX&resolution=1&from=-5&to=100", "from")]
    [InlineData("/udf/history?symbol=UDFX&resolution=1&from=200&to=100", "from")]
    [InlineData("/udf/history?symbol=UDFX&resolution=1&from=0", "to")]
    [InlineData("/udf/history?symbol=UDFX&resolution=1&from=0&to=1.5", "to")]
    [InlineData("/udf/history?symbol=UDFX&resolution=1&from=0&to=99999999999999999999", "to")]
    [InlineData("/udf/history?symbol=UDFX&resolution=1&to=100&countback=0", "countback")]
    [InlineData("/udf/history?symbol=UDFX&resolution=1&to=100&countback=many", "countback")]
    [InlineData("/udf/history?symbol=UDFX&resolution=1&to=100&countback=100001", "countback")]
    [InlineData("/udf/symbols", "symbol")]
    [InlineData("/udf/symbols?symbol=a/b", "symbol")]
    [InlineData("/udf/search?query=A&limit=0", "limit")]
    [InlineData("/udf/search?query=A&limit=ten", "limit")]
    [InlineData("/udf/search?query=A&query=B", "query")]
    public async Task A_bad_parameter_is_answered_400_with_an_error_naming_it(string path, string parameter)
    {
        var (status, error) = await Get(path);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", error.GetProperty("s").GetString());
        Assert.Contains($"'{parameter}'", error.GetProperty("errmsg").GetString());
    }

    [Fact]
    public async Task History_of_an_unknown_symbol_is_an_error()
    {
        var (status, error) = await Get("/udf/history?symbol=NOSUCH&resolution=1&from=0&to=100");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("error", error.GetProperty("s").GetString());
    }

    [Theory]
    [InlineData("/udf/config")]
    [InlineData("/udf/history?symbol=UDFX&resolution=1&from=0&to=100")]
    public async Task Without_a_session_or_with_a_bad_one_it_is_401(string path)
    {
        var (none, noneBody) = await GetAs(path, null);
        var (bad, badBody) = await GetAs(path, "nosuchsession0000000000000000000");

        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (none, bad));
        Assert.Equal("error", noneBody.GetProperty("s").GetString());
        Assert.Contains("no session id", noneBody.GetProperty("errmsg").GetString());
        Assert.Contains("unknown or expired", badBody.GetProperty("errmsg").GetString());
    }

    [Fact]
    public async Task The_session_may_come_in_the_query_string_as_for_a_program()
    {
        var (status, config) = await GetAs($"/udf/config?sessionid={_session}", null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(config.GetProperty("supports_search").GetBoolean());
    }

    [Fact]
    public async Task A_foreign_page_is_refused_403_and_an_allowed_one_reads_the_answer_with_cors()
    {
        var (foreign, body) = await Get("/udf/config", origin: "https://evil.example.net");
        Assert.Equal(HttpStatusCode.Forbidden, foreign);
        Assert.Equal("error", body.GetProperty("s").GetString());
        // Refused before the session is looked at: a bad one changes nothing.
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAs("/udf/config", null, "https://evil.example.net")).Status);

        using var allowed = await Send("/udf/config", _session, AllowedOrigin);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("true", allowed.Headers.GetValues("Access-Control-Allow-Credentials").Single());

        var own = RealtimeCluster.HttpUri(_gateway, "/").GetLeftPart(UriPartial.Authority);
        Assert.Equal(HttpStatusCode.OK, (await Get("/udf/config", origin: own)).Status);
    }

    private static T[] Column<T>(JsonElement history, string name) =>
        [.. history.GetProperty(name).EnumerateArray().Select(v => v.Deserialize<T>()!)];

    private Task<(HttpStatusCode Status, JsonElement Body)> Get(string path, string? origin = null) => GetAs(path, _session, origin);

    private async Task<(HttpStatusCode Status, JsonElement Body)> GetAs(string path, string? session, string? origin = null)
    {
        using var response = await Send(path, session, origin);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    private Task<HttpResponseMessage> Send(string path) => Send(path, _session, null);

    private Task<HttpResponseMessage> Send(string path, string? session, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, RealtimeCluster.HttpUri(_gateway, path));
        if (session is not null)
        {
            request.Headers.Add("Cookie", $"sessionid={session}");
        }
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }
        return _http.SendAsync(request);
    }
}
