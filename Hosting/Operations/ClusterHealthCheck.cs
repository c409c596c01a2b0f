using Microsoft.Extensions.Diagnostics.HealthChecks;
using Realtime.Connections;

namespace Realtime.Hosting.Operations;

/// <summary>
/// Ready only when a grain call goes through: on a silo that means it joined the cluster, on a gateway that its
/// Orleans client reaches a silo. The call is to the gateway directory, which every deployment has.
/// </summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IGatewayDirectoryGrain>(IGatewayDirectoryGrain.SingletonKey).GetGateways()
                .WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy("cluster answered");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"cluster: {e.GetType().Name}");
        }
    }
}
