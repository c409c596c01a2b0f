using Microsoft.Extensions.Options;
using Realtime.Connections;

namespace Realtime.Gateway.Connections;

/// <summary>
/// On SIGTERM, before the web server stops listening: for <see cref="GatewayOptions.DrainSeconds"/> answers new
/// upgrades 503 and <c>/readyz</c> unhealthy, and meanwhile tells its clients to reconnect elsewhere (close 1001) a
/// batch at a time, so the other gateways take them at a steady rate instead of all at once (a rolling deploy moves
/// every client of a gateway), and a load balancer that still sends here learns at once to go elsewhere.
/// </summary>
internal sealed class GatewayDrain(ConnectionRegistry connections, IOptions<GatewayOptions> options, TimeProvider clock, ILogger<GatewayDrain> logger)
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
        var started = clock.GetTimestamp();
        var o = options.Value;
        var window = TimeSpan.FromSeconds(o.DrainSeconds);
        var interval = TimeSpan.FromMilliseconds(o.DrainBatchIntervalMilliseconds);
        var reason = DrainSchedule.Reason(interval);
        // Taken once: from now on every new upgrade is refused, so no client can join the list.
        var open = connections.All.ToArray();
        logger.LogInformation("Draining {Count} connections, {Batch} every {Interval}; new upgrades get 503 for {Period}",
            open.Length, o.DrainBatchSize, interval, window);
        var closed = 0;
        try
        {
            while (closed < open.Length)
            {
                var batch = DrainSchedule.NextBatch(open.Length - closed, o.DrainBatchSize, window - clock.GetElapsedTime(started), interval);
                foreach (var connection in open.AsSpan(closed, batch))
                {
                    connection.Close(CloseCodes.GoingAway, reason);
                }
                closed += batch;
                logger.LogDebug("Drain batch: {Batch} closed at {ElapsedMs} ms, {Closed} of {Total}",
                    batch, (long)clock.GetElapsedTime(started).TotalMilliseconds, closed, open.Length);
                if (closed < open.Length)
                {
                    await Task.Delay(interval, clock, cancellationToken);
                }
            }
            logger.LogInformation("Closed {Count} connections in {Elapsed}", open.Length, clock.GetElapsedTime(started));
            // The rest of the window is the behaviour itself: the time a load balancer needs to see /readyz fail.
            var rest = window - clock.GetElapsedTime(started);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, clock, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // The host's shutdown timeout ran out first: whoever is still open goes now.
            foreach (var connection in open.AsSpan(closed))
            {
                connection.Close(CloseCodes.GoingAway, reason);
            }
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
