using Microsoft.Extensions.Options;

namespace Realtime.Gateway.Connections;

/// <summary>
/// The heartbeat of every connection of this gateway (docs/protocol.md 1.7) from one timer. Each tick visits one of the
/// registry's shards, so every connection is visited twice per <see cref="GatewayOptions.HeartbeatSeconds"/>: one that
/// has sent nothing for that long is pinged, one whose ping has gone unanswered for
/// <see cref="GatewayOptions.HeartbeatTimeoutSeconds"/> is aborted. A client that sends anything (the browser library's
/// own <c>ping</c>, requests) shows it is alive and is not pinged.
/// </summary>
/// <remarks>
/// The WebSocket's own keep-alive gives every socket a timer of its own; with tens of thousands of mostly idle
/// connections per gateway, the runtime's timer queue walking them was the gateway's largest single cost, and each
/// timer is memory an idle connection keeps. Visiting a shard per tick also spreads the pings (and the pongs that
/// answer them) evenly over the interval; pinging every silent connection in the same tick would send them in bursts
/// that the updates queued behind them wait for. Connections the sweeper cannot ping (accepted without a
/// <see cref="SendBatchStream"/>) keep the WebSocket's own keep-alive.
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
            for (var tick = 0L; await timer.WaitForNextTickAsync(stoppingToken); tick++)
            {
                var now = Environment.TickCount64;
                foreach (var connection in connections.Shard((int)(tick % ConnectionRegistry.Shards)))
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

/// <summary>A connection silent for <paramref name="Interval"/> is pinged, and one that leaves a ping unanswered for <paramref name="Timeout"/> is dropped.</summary>
internal readonly record struct Heartbeat(TimeSpan Interval, TimeSpan Timeout)
{
    /// <summary>One shard per tick, so each shard twice per interval (195 ms with the default 25 s).</summary>
    public TimeSpan Tick => Interval / (2 * ConnectionRegistry.Shards);

    /// <summary>Silent this long (in milliseconds), a connection is pinged; a tick early, as visits fall a tick either side.</summary>
    public long PingAfter => (long)(Interval - Tick).TotalMilliseconds;

    /// <summary>A ping unanswered this long (in milliseconds) ends the connection; a tick early, as visits fall a tick either side.</summary>
    public long AbortAfter => (long)(Timeout - Tick).TotalMilliseconds;
}

internal enum HeartbeatOutcome
{
    None,
    Pinged,
    Aborted,
}
