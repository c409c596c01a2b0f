using Microsoft.Extensions.Options;

namespace Realtime.Gateway.Connections;

/// <summary>
/// The heartbeat of every connection of this gateway (docs/protocol.md 1.7) from one timer: each tick pings the
/// connections silent for <see cref="GatewayOptions.HeartbeatSeconds"/> and aborts those that have not answered a ping
/// within <see cref="GatewayOptions.HeartbeatTimeoutSeconds"/>.
/// </summary>
/// <remarks>
/// The WebSocket's own keep-alive gives every socket a timer of its own; with tens of thousands of mostly idle
/// connections per gateway, the runtime's timer queue walking them was the gateway's largest single cost, and each
/// timer is memory an idle connection keeps. A walk of the registry every quarter period costs a fraction of a microsecond a connection.
/// Connections the sweeper cannot ping (accepted without a <see cref="SendBatchStream"/>) keep the WebSocket's own.
/// </remarks>
internal sealed class HeartbeatSweeper(ConnectionRegistry connections, IOptions<GatewayOptions> options, TimeProvider clock, ILogger<HeartbeatSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var heartbeat = new Heartbeat(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), TimeSpan.FromSeconds(options.Value.HeartbeatTimeoutSeconds));
        using var timer = new PeriodicTimer(heartbeat.Tick, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = Environment.TickCount64;
                foreach (var connection in connections.All)
                {
                    if (connection.Heartbeat(now, heartbeat) == HeartbeatOutcome.Aborted)
                    {
                        logger.LogInformation("Dropped connection {InstanceId} of user {UserId}: no answer to a ping within {Timeout} s",
                            connection.InstanceId, connection.UserId, options.Value.HeartbeatTimeoutSeconds);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

/// <summary>When a silent connection is pinged (<paramref name="Interval"/>) and when an unanswered ping ends it (<paramref name="Timeout"/>).</summary>
internal readonly record struct Heartbeat(TimeSpan Interval, TimeSpan Timeout)
{
    /// <summary>Often enough that a ping or an abort is at most a quarter of its period late (3.75 s with the defaults).</summary>
    public TimeSpan Tick => TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, Math.Min(Interval.Ticks, Timeout.Ticks) / 4));
}

internal enum HeartbeatOutcome
{
    None,
    Pinged,
    Aborted,
}
