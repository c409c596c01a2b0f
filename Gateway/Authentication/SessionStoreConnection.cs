using StackExchange.Redis;

namespace Realtime.Gateway.Authentication;

/// <summary>
/// Connects to the session store (Redis) while the gateway starts instead of inside the first login. The connection
/// is made synchronously when it is first asked for: made by the first burst of logins on a busy machine, it blocks a
/// thread-pool thread through up to five connect attempts of 5 s each while every other login waits for it, and an
/// attempt whose handshake is starved of threads times out (UnableToConnect, as a benchmark saw right after a heavy
/// queue drain). Measured with these settings, 50 logins and a pool of four busy threads: 26-28 s before the first
/// answer when connected on first use (no attempt failed in that run), 0.1 s when connected at start.
/// </summary>
internal sealed class SessionStoreConnection(IServiceProvider services, ILogger<SessionStoreConnection> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var redis = services.GetRequiredService<IConnectionMultiplexer>();
        if (!redis.IsConnected)
        {
            // Not fatal: it keeps connecting in the background, and logins answer 503 until it has.
            logger.LogWarning("The session store is not reachable yet; logins are answered 503 until it is");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
