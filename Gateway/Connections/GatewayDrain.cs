using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>
/// On SIGTERM: refuse new connections and tell every client to reconnect elsewhere (close 1001), so clients move
/// to another gateway before this process exits.
/// </summary>
internal sealed class GatewayDrain(ConnectionRegistry connections, IHostApplicationLifetime lifetime, ILogger<GatewayDrain> logger) : IHostedService
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(Drain);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Drain()
    {
        _draining = true;
        logger.LogInformation("Draining {Count} connections", connections.Count);
        foreach (var connection in connections.All)
        {
            connection.Close(CloseCodes.GoingAway, "server going away; reconnect");
        }
    }
}
