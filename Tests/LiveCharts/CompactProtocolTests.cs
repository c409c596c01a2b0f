using System.Text;
using System.Text.Json;
using Realtime.Gateway.Compact;
using Realtime.Quotes;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.LiveCharts;

/// <summary>
/// The compact form (docs/protocol.md 1.13) over real sockets: a client that offers <c>rt.compact.v2</c> gets it named
/// back, reads its charts and watchlist through handles and ends exact, through pacing and a resume; a client that
/// offers nothing, or only protocols the server does not know, gets the JSON form byte for byte as before.
/// </summary>
public sealed class CompactProtocolTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string Symbol = "SMALL";
    private const long Day = 86_400_000;
    private static readonly string[] Indicators = ["SMA(close,20)"];

    private readonly RealtimeCluster _cluster = new(RedisServer.Shared);
    private Microsoft.AspNetCore.Builder.WebApplication _gateway = null!;
    private long _nextQuote = Infrastructure.Quotes.T0 + 30 * 60_000L;
    private double _lastPrice;

    public async Task InitializeAsync()
    {
        await _cluster.StartSilo();
        _gateway = await _cluster.StartGateway();
        await Infrastructure.Quotes.Backfill(_cluster, Symbol, "1d", [[Infrastructure.Quotes.T0 - Day, 99, 101, 98, 100, 1_000]]);
        await Infrastructure.Quotes.BackfillHistory(_cluster, Symbol);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private Func<string, Task<TestSocket>> Compact => session => TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, session), subProtocols: CompactProtocol.Name);

    private Func<string, Task<TestSocket>> Json => session => TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, session));

    [Fact]
    public async Task A_client_offering_the_compact_protocol_gets_it_named_in_the_handshake_and_in_welcome()
    {
        var session = await DjangoSessions.Store(_cluster.Redis, "signed-small");
        await using var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, session), null, null, "rt.other", CompactProtocol.Name);
        var welcome = (await socket.Next("welcome")).GetProperty("data");
        Assert.Equal(CompactProtocol.Name, socket.SubProtocol);
        Assert.Equal(CompactProtocol.Name, welcome.GetProperty("protocol").GetString());
    }

    [Fact]
    public async Task A_client_offering_only_unknown_protocols_gets_the_JSON_form_byte_for_byte()
    {
        var session = await DjangoSessions.Store(_cluster.Redis, "signed-small");
        await using var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, session), null, null, "rt.compact.v9", "chat");
        var welcome = (await socket.Next("welcome")).GetProperty("data");
        Assert.Null(socket.SubProtocol);
        Assert.Null(socket.Decoder);
        var expected = $"{{\"type\":\"welcome\",\"data\":{{\"userId\":\"{welcome.GetProperty("userId").GetString()}\",\"instanceId\":\"{welcome.GetProperty("instanceId").GetString()}\",\"heartbeatSeconds\":{new Realtime.Gateway.GatewayOptions().HeartbeatSeconds},\"maxFrameBytes\":65536}}}}";
        Assert.True(socket.Raw!.TryPeek(out var first));
        Assert.Equal(expected, Encoding.UTF8.GetString(first));

        await Open(socket, "c1");
        var snapshot = (await socket.Next("chart.snapshot")).GetProperty("data");
        Assert.False(snapshot.TryGetProperty(CompactProtocol.HandleProperty, out _));
        await Feed(1);
        await socket.Next("chart.update");
        Assert.All(socket.Raw, message => Assert.Equal((byte)'{', message[0]));
    }

    [Fact]
    public async Task A_compact_chart_ends_exact_paced_or_not_and_resumes_exact()
    {
        await using var compact = new ChartViewer(await DjangoSessions.Store(_cluster.Redis, "signed-small"), Symbol, Indicators);
        await using var paced = new ChartViewer(await DjangoSessions.Store(_cluster.Redis, "signed-plain"), Symbol, Indicators) { MaxRate = 2 };
        await using var json = new ChartViewer(await DjangoSessions.Store(_cluster.Redis, "legacy-pre-3.1"), Symbol, Indicators);
        await compact.Open(Compact);
        await paced.Open(Compact);
        await json.Open(Json);
        await Eventually.True(() => compact.Chart.Snapshots == 1 && paced.Chart.Snapshots == 1 && json.Chart.Snapshots == 1, "three snapshots arrived");

        await Feed(60);
        await Eventually.True(() => compact.Chart.Seq == json.Chart.Seq && TookLastQuote(json), "the compact chart took the last quote", TimeSpan.FromSeconds(30));
        await Eventually.True(() => paced.Chart.Seq == json.Chart.Seq, "the paced compact chart caught up", TimeSpan.FromSeconds(10));
        Assert.True(paced.Chart.Updates < compact.Chart.Updates, $"{paced.Chart.Updates} paced against {compact.Chart.Updates} updates");
        await AssertExact(compact);
        await AssertExact(paced);
        await AssertExact(json);

        // Resuming on a new compact connection: chart.resumed announces the handle, then the missed updates on it.
        await paced.DisposeAsync();
        await Feed(20);
        await Eventually.True(() => TookLastQuote(json), "the JSON chart took 20 more quotes", TimeSpan.FromSeconds(30));
        await paced.Open(Compact);
        await Eventually.True(() => paced.Chart.Seq == json.Chart.Seq, "the resumed compact chart caught up", TimeSpan.FromSeconds(10));
        Assert.Equal((1, 1), (paced.Chart.Resumes, paced.Chart.Snapshots));
        await AssertExact(paced);
        await AssertExact(compact);
    }

    [Fact]
    public async Task Compact_updates_of_a_typical_chart_average_at_most_100_bytes_on_the_wire()
    {
        var session = await DjangoSessions.Store(_cluster.Redis, "signed-small");
        await using var socket = await Compact(session);
        await socket.Next("welcome");
        await Open(socket, "c1");
        await socket.Next("chart.snapshot");
        await Feed(40);
        await Eventually.True(() => socket.Decoder!.Updates >= 40, "40 compact updates arrived", TimeSpan.FromSeconds(30));
        var decoder = socket.Decoder!;
        var average = (double)decoder.UpdateBytes / decoder.Updates;
        output.WriteLine($"{decoder.Updates} compact updates, {average:F1} bytes each on average");
        Assert.True(average <= 100, $"{average:F1} bytes per compact update");
        Assert.Empty(decoder.Violations);
    }

    [Fact]
    public async Task A_compact_watchlist_line_ends_equal_to_the_JSON_ones()
    {
        await using var compact = await Compact(await DjangoSessions.Store(_cluster.Redis, "signed-small"));
        await using var json = await Json(await DjangoSessions.Store(_cluster.Redis, "signed-plain"));
        var compactBoard = new TickerBoard();
        var jsonBoard = new TickerBoard();
        await compact.Next("welcome");
        await json.Next("welcome");
        _ = compactBoard.Follow(compact);
        _ = jsonBoard.Follow(json);
        await compact.SendJson(new { type = "ticker", id = "t", data = new { action = "subscribe", symbols = new[] { Symbol } } });
        await json.SendJson(new { type = "ticker", id = "t", data = new { action = "subscribe", symbols = new[] { Symbol } } });
        await Eventually.True(() => compactBoard.Lines.ContainsKey(Symbol) && jsonBoard.Lines.ContainsKey(Symbol), "both snapshots");

        await Feed(10);
        await Eventually.True(() => jsonBoard.Lines[Symbol].Time == _nextQuote - 3_000 && compactBoard.Lines[Symbol].Seq == jsonBoard.Lines[Symbol].Seq, "both boards took the last quote", TimeSpan.FromSeconds(30));
        Assert.Equal(jsonBoard.Lines[Symbol], compactBoard.Lines[Symbol]);
        Assert.True(compactBoard.Updates > 0);
        Assert.Empty(compactBoard.Violations);
        Assert.Empty(compact.Decoder!.Violations);
    }

    [Fact]
    public async Task With_PermessageDeflate_on_a_client_offering_deflate_gets_compressed_compact_frames_and_stays_exact()
    {
        var deflating = await _cluster.StartGateway(new Dictionary<string, string?> { ["Gateway:PermessageDeflate"] = "true" });
        var session = await DjangoSessions.Store(_cluster.Redis, "signed-small");
        await using var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(deflating, session), null, null, deflate: true, CompactProtocol.Name);
        var welcome = (await socket.Next("welcome")).GetProperty("data");
        Assert.Equal(CompactProtocol.Name, welcome.GetProperty("protocol").GetString());
        Assert.True(socket.Deflating, "the gateway accepted permessage-deflate");
        var chart = new LiveChart();
        await Open(socket, "c1");
        chart.Apply(await socket.Next("chart.snapshot"));
        await Feed(10);
        await Eventually.True(() => socket.Decoder!.Updates >= 10, "10 compact updates arrived", TimeSpan.FromSeconds(30));
        while (socket.Frames.TryRead(out var frame))
        {
            chart.Apply(frame);
        }
        Assert.Empty(chart.Violations);
        await using var truthSocket = await Json(await DjangoSessions.Store(_cluster.Redis, "legacy-pre-3.1"));
        Assert.Empty(chart.DifferencesFrom(await ChartViewer.StaticSnapshot(truthSocket, Symbol, Indicators)));
    }

    [Fact]
    public async Task By_default_the_gateway_does_not_deflate_even_when_the_client_offers_it()
    {
        var session = await DjangoSessions.Store(_cluster.Redis, "signed-small");
        await using var socket = await TestSocket.Connect(RealtimeCluster.WebSocketUri(_gateway, session), null, null, deflate: true, CompactProtocol.Name);
        await socket.Next("welcome");
        Assert.False(socket.Deflating);
    }

    private static Task Open(TestSocket socket, string chartId) => socket.SendJson(new
    {
        type = "mychart",
        id = chartId,
        data = new { action = "open", chartId, symbol = Symbol, period = "1m", indicators = Indicators, count = 300 },
    });

    private bool TookLastQuote(ChartViewer viewer) =>
        viewer.Chart.Points.TryGetValue((_nextQuote - 3_000) / 60_000 * 60_000, out var bar) && bar.Bar[4] == _lastPrice;

    /// <summary>Pushes <paramref name="count"/> quotes, about 20 a second, 3 s of quote time apart.</summary>
    private async Task Feed(int count)
    {
        using var pace = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        for (var i = 0; i < count; i++)
        {
            _lastPrice = 130 + i % 7 + (i % 2) * 0.25 + i * 0.01;
            await Infrastructure.Quotes.Push(_cluster, Symbol, _lastPrice, 1 + i % 3, _nextQuote);
            _nextQuote += 3_000;
            await pace.WaitForNextTickAsync();
        }
        await Eventually.True(async () => (await _cluster.Grains.GetGrain<IQuoteCentreGrain>(Symbol).GetLatest())?.Time == _nextQuote - 3_000,
            "the quote centre took the last quote", TimeSpan.FromSeconds(30));
    }

    /// <summary>What the viewer holds equals a fresh static snapshot, with no protocol violation on the way.</summary>
    private async Task AssertExact(ChartViewer viewer)
    {
        Assert.Empty(viewer.Chart.Violations);
        await using var truthSocket = await Json(await DjangoSessions.Store(_cluster.Redis, "legacy-pre-3.1"));
        var truth = await ChartViewer.StaticSnapshot(truthSocket, Symbol, Indicators);
        var differences = viewer.Chart.DifferencesFrom(truth);
        foreach (var difference in differences.Take(5))
        {
            output.WriteLine(difference);
        }
        Assert.Empty(differences);
    }
}
