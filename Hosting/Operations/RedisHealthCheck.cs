using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Realtime.Hosting.Operations;

/// <summary>Ready only while Redis answers: without it there is no membership, no queue and no login.</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"redis answered in {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"redis: {e.GetType().Name}");
        }
    }
}
