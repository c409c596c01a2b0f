using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Realtime.Gateway.Connections;

/// <summary>Not ready while draining, so a load balancer stops sending new sockets to a gateway that is leaving.</summary>
internal sealed class DrainHealthCheck(GatewayDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining ? HealthCheckResult.Unhealthy("draining: shutting down") : HealthCheckResult.Healthy("accepting sockets"));
}
