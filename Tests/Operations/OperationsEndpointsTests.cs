using System.Net;
using Realtime.Tests.Infrastructure;

namespace Realtime.Tests.Operations;

/// <summary>What an operator's probes and scrapers see on the gateway and on a real silo process.</summary>
public sealed class OperationsEndpointsTests
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    [Fact]
    public async Task The_gateway_is_live_ready_and_exports_its_metrics()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await cluster.StartSilo();
        var gateway = await cluster.StartGateway();
        await using var client = await Connected.As(cluster, gateway, "signed-plain");

        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(RealtimeCluster.HttpUri(gateway, "/healthz"))).StatusCode);
        await Eventually.True(async () => (await Http.GetAsync(RealtimeCluster.HttpUri(gateway, "/readyz"))).StatusCode == HttpStatusCode.OK, "the gateway is ready");
        string metrics = "";
        await Eventually.True(async () => (metrics = await Http.GetStringAsync(RealtimeCluster.HttpUri(gateway, "/metrics"))).Contains("realtime_gateway_connections"),
            "the connection gauge is exported");
        Assert.Contains("realtime_gateway_frames_out", metrics);
    }

    [Fact]
    public async Task A_gateway_whose_redis_is_gone_is_live_but_not_ready()
    {
        var redis = RedisServer.StartPrivate();
        await using (redis)
        await using (var cluster = new RealtimeCluster(redis))
        {
            await cluster.StartSilo();
            var gateway = await cluster.StartGateway();
            await Eventually.True(async () => (await Http.GetAsync(RealtimeCluster.HttpUri(gateway, "/readyz"))).StatusCode == HttpStatusCode.OK, "ready first");

            await redis.Stop();

            await Eventually.True(async () => (await Http.GetAsync(RealtimeCluster.HttpUri(gateway, "/readyz"))).StatusCode == HttpStatusCode.ServiceUnavailable, "not ready without Redis");
            Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(RealtimeCluster.HttpUri(gateway, "/healthz"))).StatusCode);

            // Back before the cluster shuts down, or the silo spends its whole shutdown timeout on membership writes.
            await redis.Restart();
            await Eventually.True(async () => (await Http.GetAsync(RealtimeCluster.HttpUri(gateway, "/readyz"))).StatusCode == HttpStatusCode.OK, "ready again once Redis is back");
        }
    }

    [Fact]
    public async Task A_silo_process_is_ready_exports_orleans_meters_and_hides_the_dashboard_by_default()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await using var silo = await ProductProcess.StartSilo(cluster);

        await Eventually.True(async () => (await Http.GetAsync(silo.Http("/readyz"))).StatusCode == HttpStatusCode.OK, "the silo joined and is ready");
        await Eventually.True(async () => (await Http.GetStringAsync(silo.Http("/metrics"))).Contains("realtime_service"), "service metrics are exported");
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync(silo.Http("/dashboard"))).StatusCode);
    }

    [Fact]
    public async Task The_dashboard_is_served_when_switched_on()
    {
        await using var cluster = new RealtimeCluster(RedisServer.Shared);
        await using var silo = await ProductProcess.StartSilo(cluster, new Dictionary<string, string> { ["Operations__Dashboard"] = "true" });

        await Eventually.True(async () => (await Http.GetAsync(silo.Http("/dashboard"))).StatusCode == HttpStatusCode.OK, "the dashboard answers");
    }
}
