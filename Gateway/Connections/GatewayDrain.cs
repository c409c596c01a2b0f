using Microsoft.Extensions.Options;
using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>
/// On SIGTERM, before the web server stops listening: tells every client to reconnect elsewhere (close 1001) and for
/// <see cref="GatewayOptions.DrainSeconds"/> answers new upgrades 503 and <c>/readyz</c> unhealthy, so clients and a
/// load balancer that still send here learn at once to go to another gateway instead of meeting a closed port.
/// </summary>
internal sealed class GatewayDrain(ConnectionRegistry connections, IOptions<GatewayOptions> options, ILogger<GatewayDrain> logger)
    : IHostedLifecycleService
{
    private volatile bool _draining;

    public bool IsDraining => _draining;

    /// <summary>
    /// Runs before any service's StopAsync, and so before Kestrel's: Kestrel stops listening as soon as it is told
    /// to stop, and a drain run on ApplicationStopping alone left new connections refused within milliseconds.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var period = TimeSpan.FromSeconds(options.Value.DrainSeconds);
        logger.LogInformation("Draining {Count} connections; new upgrades get 503 for {Period}", connections.Count, period);
        foreach (var connection in connections.All)
        {
            connection.Close(CloseCodes.GoingAway, "server going away; reconnect");
        }
        try
        {
            // The drain period is the behaviour itself: the time a load balancer needs to see /readyz fail.
            await Task.Delay(period, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out first; stop now.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
