using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace Realtime.Hosting.Operations;

/// <summary>What every process offers operators: Prometheus metrics, liveness and readiness.</summary>
public static class OperationsExtensions
{
    /// <summary>Health checks with this tag make up <c>/readyz</c>.</summary>
    public const string ReadyTag = "ready";

    public static IHostApplicationBuilder AddRealtimeOperations(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(RealtimeMeters.Names)
            .AddView("realtime.quote.latency", new ExplicitBucketHistogramConfiguration { Boundaries = [1, 2, 5, 10, 20, 50, 100, 250, 500, 1000, 5000] })
            .AddPrometheusExporter());
        builder.Services.AddHealthChecks()
            .AddCheck<RedisHealthCheck>("redis", tags: [ReadyTag])
            .AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag]);
        return builder;
    }

    /// <summary><c>/metrics</c> (Prometheus text), <c>/healthz</c> (the process runs), <c>/readyz</c> (it can serve: Redis and cluster reachable).</summary>
    public static IEndpointRouteBuilder MapRealtimeOperations(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        return endpoints;
    }
}
