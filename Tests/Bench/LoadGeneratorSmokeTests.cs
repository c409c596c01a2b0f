using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Realtime.Bench.Peer;
using Realtime.Bench.Protocols;
using Realtime.Bench.Scenarios;
using Realtime.Bench.Sessions;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Bench;

/// <summary>
/// A few clients for a few seconds through the benchmark's load generator, against our cluster and against the
/// SignalR peer, so the harness cannot rot between benchmark runs (Bench/run.sh is not part of the test command).
/// </summary>
public sealed class LoadGeneratorSmokeTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly StreamSettings Smoke = new("smoke", "SMOKE", Clients: 4, Symbols: 2, QuotesPerSecond: 40,
        Warmup: TimeSpan.FromSeconds(1), Duration: TimeSpan.FromSeconds(2)) { Drain = TimeSpan.FromSeconds(1) };

    [Fact]
    public async Task The_generator_logs_in_with_Django_sessions_and_measures_chart_updates_from_our_cluster_in_each_form()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await cluster.StartSilo();
        var gateway = await cluster.StartGateway(new Dictionary<string, string?> { ["Gateway:PermessageDeflate"] = "true" });
        await new DjangoSessionWriter(RealtimeCluster.DjangoSecretKey).StoreClients(cluster.Redis.Database, Smoke.Clients);
        var results = new List<StreamResult>();
        // The JSON form, the compact form (the browser library's), the compact form with permessage-deflate.
        foreach (var (form, deflate, i) in new[] { (RealtimeForm.Json, false, 0), (RealtimeForm.Compact, false, 1), (RealtimeForm.Compact, true, 2) })
        {
            var protocol = new RealtimeProtocol(RealtimeCluster.WebSocketUri(gateway), "1m", "SMA(close,20)") { Form = form, Deflate = deflate, CountsWireBytes = true };
            var result = await StreamScenario.Run(new BenchTarget(protocol, cluster.Redis.Connection, cluster.Queue, []), Smoke with { SymbolPrefix = $"SMOKE{i}" }, CancellationToken.None);
            AssertMeasured(result, protocol.Name);
            output.WriteLine(result.Row());
            results.Add(result);
        }

        var (json, compact, deflated) = (results[0], results[1], results[2]);
        Assert.True(compact.BytesPerUpdate <= 100, compact.Row());
        Assert.True(json.BytesPerUpdate > 1.5 * compact.BytesPerUpdate, $"{json.Row()}\n{compact.Row()}");
        Assert.True(deflated.WireBytesPerUpdate < compact.WireBytesPerUpdate, $"{deflated.Row()}\n{compact.Row()}");
    }

    [Fact]
    public async Task The_generator_measures_quotes_forwarded_by_the_SignalR_peer_with_the_same_scenario()
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var queue = $"queue:test:{id}";
        var peer = PeerApplication.Build([], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Peer:Redis"] = RedisServer.Shared.ConnectionString,
            ["Peer:Queue"] = queue,
            ["Peer:ChannelPrefix"] = "test-" + id,
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        await peer.StartAsync();
        try
        {
            var protocol = new SignalRProtocol(new Uri(WebSocketAddress(peer), QuoteHub.Path));

            var result = await StreamScenario.Run(new BenchTarget(protocol, RedisServer.Shared.Connection, queue, []), Smoke, CancellationToken.None);

            AssertMeasured(result, protocol.Name);
        }
        finally
        {
            await peer.StopAsync();
            await peer.DisposeAsync();
        }
    }

    private static void AssertMeasured(StreamResult result, string server)
    {
        Assert.True(result.Failures == 0, $"clients reported failures, first: {result.FirstFailure}");
        Assert.Equal(Smoke.Clients, result.Connected);
        Assert.True(result.QuotesInWindow > 0, "quotes were pushed inside the measurement window");
        Assert.True(result.DeliveredFrames > 0, "updates for those quotes reached the clients");
        Assert.True(result.P50 > 0 && result.P50 <= result.P99, $"latencies are measured and ordered: {result.Row()}");
        Assert.Contains(server, result.Row());
        Assert.Contains("frames/s", result.Row());
    }

    private static Uri WebSocketAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return new UriBuilder(address) { Scheme = "ws" }.Uri;
    }
}
