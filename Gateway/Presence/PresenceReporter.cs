using Microsoft.Extensions.Options;
using Realtime.Gateway.Connections;
using Realtime.Presence;

namespace Realtime.Gateway.Presence;

/// <summary>
/// Tells the presence grain, every <see cref="GatewayOptions.PresenceSeconds"/>, what changed on this gateway: the
/// connection count of each user whose count changed and the subscriber count of each topic (a chart, a watchlist
/// symbol) whose count changed. A
/// report with no change is the gateway's heartbeat; the grain drops a gateway that misses three. When the grain
/// cannot apply a change (it was re-activated, or a report failed in between) the next report is a full one.
/// </summary>
internal sealed class PresenceReporter(
    IGrainFactory grains,
    GatewayIdentity identity,
    ConnectionRegistry connections,
    TopicSubscriptions topics,
    IOptions<GatewayOptions> options,
    ILogger<PresenceReporter> logger) : BackgroundService
{
    internal const int MissedReportsBeforeExpiry = 3;
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    private Dictionary<string, int> _charts = new(StringComparer.Ordinal);
    private long _seq;
    private bool _full = true;

    private IPresenceGrain Grain => grains.GetGrain<IPresenceGrain>(IPresenceGrain.SingletonKey);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.PresenceSeconds);
        using var timer = new PeriodicTimer(interval);
        do
        {
            // A refused change report is followed by a full one at once, not a whole interval later.
            for (var attempt = 0; attempt < 2 && !await ReportOnce(interval, stoppingToken); attempt++)
            {
            }
        }
        while (await Tick(timer, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await Grain.Forget(identity.Id).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e)
        {
            // The grain drops this gateway by itself once its reports stop.
            logger.LogDebug("Could not withdraw gateway {GatewayId} from presence: {Error}", identity.Id, e.Message);
        }
    }

    /// <summary>Sends one report; true when the grain took it.</summary>
    internal async Task<bool> ReportOnce(TimeSpan interval, CancellationToken cancellationToken)
    {
        var full = _full;
        // The users' changes are kept by the registry as connections come and go; a report that fails is followed by a
        // full one, so changes taken for it are not lost.
        var users = connections.TakeUserCounts(all: full);
        var watched = topics.ByTopic().ToDictionary(c => c.Key, c => c.Value.Length, StringComparer.Ordinal);
        var report = new PresenceReport(identity.Id, ++_seq, full, users, full ? watched : Changes(_charts, watched), interval * MissedReportsBeforeExpiry);
        try
        {
            if (await Grain.Report(report).WaitAsync(CallTimeout, cancellationToken))
            {
                _charts = watched;
                _full = false;
                return true;
            }
            _full = true;
            return false;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The report may or may not have arrived: only a full one is sure to put things right.
            _full = true;
            logger.LogDebug("Presence report of gateway {GatewayId} failed: {Error}", identity.Id, e.Message);
            return true;
        }
    }

    /// <summary>The counts that differ between <paramref name="before"/> and <paramref name="now"/>; 0 for keys gone.</summary>
    private static Dictionary<string, int> Changes(Dictionary<string, int> before, Dictionary<string, int> now)
    {
        var changes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (key, count) in now)
        {
            if (before.GetValueOrDefault(key) != count)
            {
                changes[key] = count;
            }
        }
        foreach (var key in before.Keys)
        {
            if (!now.ContainsKey(key))
            {
                changes[key] = 0;
            }
        }
        return changes;
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
